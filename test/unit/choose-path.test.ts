import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { askPath } from '../../src/scaffold/ask.js';
import { recommendPath } from '../../src/scaffold/choose-path.js';

const noVhostNet = (path: string) => (path === 'tap' ? '/dev/vhost-net' : undefined);

describe('recommendPath, after the guide', () => {
  const host = () => undefined;
  it.each([
    [{ handles: 'packets', codeMayChange: true, kernelHairpinOk: false }, 'memif'],
    [{ handles: 'packets', codeMayChange: false, kernelHairpinOk: true }, 'tap'],
    [{ handles: 'sockets', codeMayChange: true, kernelHairpinOk: false }, 'vcl'],
    [{ handles: 'sockets', codeMayChange: false, kernelHairpinOk: false }, 'vcl-ldpreload'],
    [{ handles: 'sockets', codeMayChange: false, kernelHairpinOk: true }, 'tap'],
  ] as const)('%j -> %s, with a reason', (needs, path) => {
    const recommendation = recommendPath(needs, host);
    expect(recommendation.path).toBe(path);
    expect(recommendation.reason.length).toBeGreaterThan(20);
  });

  it('recommends AF_XDP instead of TAP v2 on a host without /dev/vhost-net, and says why', () => {
    const recommendation = recommendPath({ handles: 'sockets', codeMayChange: false, kernelHairpinOk: true }, noVhostNet);
    expect(recommendation).toEqual({
      path: 'af_xdp',
      reason: 'any sockets app, unchanged: AF_XDP gives it an ordinary Linux interface through the kernel (this host has no /dev/vhost-net for TAP v2)',
    });
  });

  it('takes the host\'s needs from the path modules, so it recommends what this machine can run', () => {
    const lacks = (path: string) => (['tap', 'af_xdp'].includes(path) ? 'thing' : undefined);
    const recommendation = recommendPath({ handles: 'packets', codeMayChange: false, kernelHairpinOk: false }, lacks);
    expect(recommendation.reason).toMatch(/^raw packets from unchanged code: .*\(this host has no thing for TAP v2, no thing for AF_XDP\)$/);
  });
});

describe('the questions, through the prompt library with scripted keys', () => {
  const ENTER = '\r';
  const DOWN = '\x1b[B';
  const RIGHT = '\x1b[C';

  /** Answers each prompt in turn with its keys, once the prompt has drawn itself. */
  async function answer(keys: string[], host: (path: string) => string | undefined = () => undefined) {
    const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => undefined });
    const output = Object.assign(new PassThrough(), { columns: 100, rows: 40, isTTY: true });
    let screen = '';
    output.on('data', (chunk: Buffer) => (screen += chunk.toString()));
    const pending = askPath({ input, output }, host);
    for (const key of keys) {
      await new Promise((resolve) => setTimeout(resolve, 30));
      input.write(key);
    }
    return { path: await pending, screen };
  }

  it('sockets, code may change, no kernel hairpin: recommends vcl and takes it on Enter', async () => {
    // sockets (first option), "may the code change" yes (default is yes), hairpin no (default), accept
    const { path, screen } = await answer([ENTER, ENTER, ENTER, ENTER]);
    expect(path).toBe('vcl');
    expect(screen).toContain('Recommended: vcl (sockets without the kernel, and the code may change');
  });

  it('raw packets from code that may use libmemif: recommends memif', async () => {
    const { path } = await answer([DOWN + ENTER, ENTER, ENTER]);
    expect(path).toBe('memif');
  });

  it('lets the user pick another path than the recommended one', async () => {
    // sockets; code may not change (move to "No"); hairpin no; recommended vcl-ldpreload; one down: back to memif (wraps)
    const { path, screen } = await answer([ENTER, RIGHT + ENTER, ENTER, DOWN + ENTER]);
    expect(screen).toContain('Recommended: vcl-ldpreload');
    expect(path).toBe('memif');
  });
});
