import { describe, expect, it } from 'vitest';
import { inspectIfPresent, isAbsent, withCleanup } from '../../src/engine/absent.js';

const engineError = (statusCode: number, message: string) => Object.assign(new Error(message), { statusCode });

describe('absent is a 404, nothing else', () => {
  it('inspectIfPresent: undefined for a 404, every other engine error propagates', async () => {
    expect(isAbsent(engineError(404, 'no such volume'))).toBe(true);
    expect(await inspectIfPresent(() => Promise.reject(engineError(404, 'no such volume')))).toBeUndefined();
    await expect(inspectIfPresent(() => Promise.reject(engineError(500, 'server error')))).rejects.toThrow('server error');
    await expect(inspectIfPresent(() => Promise.reject(Object.assign(new Error('connect EACCES'), { code: 'EACCES' })))).rejects.toThrow('EACCES');
  });

  it('withCleanup: keeps the work\'s own error first and joins a failed removal to it; a removal already done is fine', async () => {
    const failed = withCleanup(() => Promise.reject(new Error('exec failed')), 'the temporary container abc', () => Promise.reject(engineError(409, 'removal in progress')));
    await expect(failed).rejects.toThrow('exec failed; and the temporary container abc could not be removed: removal in progress');
    await expect(withCleanup(() => Promise.reject(new Error('exec failed')), 'x', () => Promise.reject(engineError(404, 'gone')))).rejects.toThrow(/^exec failed$/);
    await expect(withCleanup(() => Promise.resolve(1), 'the temporary container abc', () => Promise.reject(engineError(500, 'busy')))).rejects.toThrow(
      'the temporary container abc could not be removed: busy',
    );
    expect(await withCleanup(() => Promise.resolve(7), 'x', () => Promise.resolve())).toBe(7);
  });
});
