/** A command called the wrong way (exit 2, as commander's own usage errors), not one that failed. */
export class UsageError extends Error {
  override name = 'UsageError';
}
