/**
 * The engine's answer that a thing does not exist is a 404; anything else (no engine, no permission,
 * a timeout) is an error to report, never "absent".
 */
export function isAbsent(error: unknown): boolean {
  return (error as { statusCode?: number } | undefined)?.statusCode === 404;
}

/** The inspected thing, or undefined when the engine says it does not exist; other errors propagate. */
export async function inspectIfPresent<T>(inspect: () => Promise<T>): Promise<T | undefined> {
  try {
    return await inspect();
  } catch (error) {
    if (isAbsent(error)) return undefined;
    throw error;
  }
}

/**
 * Removes what a failed or finished operation leaves, without hiding why: the operation's own error
 * stays first, and a removal that fails (other than "already gone") is joined to it, or thrown alone.
 */
export async function withCleanup<T>(work: () => Promise<T>, what: string, remove: () => Promise<unknown>): Promise<T> {
  let result: T;
  try {
    result = await work();
  } catch (error) {
    const left = await removalFailure(remove);
    if (left) throw new AggregateError([error, left], `${(error as Error).message ?? String(error)}; and ${what} could not be removed: ${left.message}`);
    throw error;
  }
  const left = await removalFailure(remove);
  if (left) throw new Error(`${what} could not be removed: ${left.message}`, { cause: left });
  return result;
}

async function removalFailure(remove: () => Promise<unknown>): Promise<Error | undefined> {
  try {
    await remove();
    return undefined;
  } catch (error) {
    return isAbsent(error) ? undefined : (error as Error);
  }
}
