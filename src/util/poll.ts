import { setTimeout as sleep } from 'node:timers/promises';

export class PollTimeoutError extends Error {
  constructor(
    readonly what: string,
    readonly timeoutMs: number,
    readonly lastResult: string,
  ) {
    super(`timed out after ${Math.round(timeoutMs / 1000)}s waiting for ${what}${lastResult ? `; last result: ${lastResult}` : ''}`);
    this.name = 'PollTimeoutError';
  }
}

/** Thrown by a check when waiting longer cannot help (the container exited): ends the poll at once. */
export class PollAbortError extends Error {
  override name = 'PollAbortError';
}

/**
 * Calls `check` until it returns `{ done: true }` or the deadline passes. A check that throws counts
 * as not done yet, and its message becomes the last result shown on timeout; PollAbortError ends it.
 */
export async function pollUntil<T>(
  what: string,
  check: () => Promise<{ done: true; value: T } | { done: false; last: string }>,
  { timeoutMs, intervalMs = 250, signal }: { timeoutMs: number; intervalMs?: number; signal?: AbortSignal },
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    if (signal?.aborted) throw new PollAbortError(`interrupted while waiting for ${what}`);
    try {
      const result = await check();
      if (result.done) return result.value;
      last = result.last;
    } catch (error) {
      if (error instanceof PollAbortError) throw error;
      last = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() >= deadline) throw new PollTimeoutError(what, timeoutMs, last.trim());
    await sleep(intervalMs);
  }
}
