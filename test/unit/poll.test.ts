import { describe, expect, it } from 'vitest';
import { PollAbortError, pollUntil, PollTimeoutError } from '../../src/util/poll.js';

describe('pollUntil', () => {
  it('returns the value once the check is done', async () => {
    let calls = 0;
    const value = await pollUntil('three calls', async () => (++calls === 3 ? { done: true, value: 'ready' } : { done: false, last: `call ${calls}` }), {
      timeoutMs: 5_000,
      intervalMs: 1,
    });
    expect(value).toBe('ready');
    expect(calls).toBe(3);
  });

  it('times out naming what it waited for and the last result', async () => {
    const attempt = pollUntil('VPP to answer', async () => ({ done: false, last: 'connection refused' }), { timeoutMs: 30, intervalMs: 5 });
    await expect(attempt).rejects.toBeInstanceOf(PollTimeoutError);
    await expect(attempt).rejects.toThrow(/^timed out after 0s waiting for VPP to answer; last result: connection refused$/);
  });

  it('treats a thrown error as not done yet', async () => {
    let calls = 0;
    const value = await pollUntil(
      'a flaky check',
      async () => {
        if (++calls < 2) throw new Error('not yet');
        return { done: true, value: calls };
      },
      { timeoutMs: 5_000, intervalMs: 1 },
    );
    expect(value).toBe(2);
  });

  it('stops at once on PollAbortError', async () => {
    const started = Date.now();
    await expect(
      pollUntil('a container that exited', async () => {
        throw new PollAbortError('VPP exited (1)');
      }, { timeoutMs: 60_000 }),
    ).rejects.toThrow('VPP exited (1)');
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
