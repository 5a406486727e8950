import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { engineClient, labLeftovers, untagLabImages } from '../support/engine.js';
import { BIN_PATHS, repoRoot, runBin } from '../support/run-bin.js';

const tier = inject('vppTier');

// A failed app build shows the compiler's own lines, on a terminal (where the spinner shows one line
// at a time and clears) as well as in a log, and up leaves nothing behind.
describe.skipIf(!tier.run)('an app that does not compile', () => {
  let dir: string;
  const lab = `b${Math.random().toString(16).slice(2, 8)}`;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vppkit-build-error-'));
    await cp(join(repoRoot, 'templates/memif'), join(dir, 'app'), { recursive: true });
    const main = join(dir, 'app/src/main.c');
    await writeFile(main, `${await readFile(main, 'utf8')}\nint vppkit_broken(void) { return undeclared_thing; }\n`);
    await writeFile(join(dir, 'vppkit.yaml'), `name: ${lab}\nvpp:\n  prefix: ${tier.prefix}\napps:\n  - name: app\n    path: memif\n    build: ./app\n`);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await untagLabImages(engineClient(), lab);
  });

  const compilerSays = /main\.c:\d+:\d+: error: 'undeclared_thing' undeclared/;

  it('without a terminal: up fails at "images" with the compiler\'s error line', async () => {
    const up = runBin('vppkit', ['up'], { cwd: dir, timeoutMs: 900_000 });
    expect(up.status).toBe(1);
    expect(up.stderr).toMatch(compilerSays);
    expect(up.stderr).toMatch(/vppkit: up failed at "images"/);
    expect(await labLeftovers(engineClient(), lab)).toEqual([]);
  }, 900_000);

  it('on a terminal: the same error line stays on screen once the spinner is gone', async () => {
    const run = JSON.parse(
      execFileSync('python3', [join(repoRoot, 'test/support/run-as-user.py'), '--tty', '600', '--', process.execPath, BIN_PATHS.vppkit, 'up'], { cwd: dir, encoding: 'utf8', timeout: 700_000 }),
    ) as { code: number; output: string };
    expect(run.code, run.output).toBe(1);
    // What stays: the lines after the spinner's last frame.
    const afterSpinner = run.output.slice(run.output.lastIndexOf('images failed'));
    expect(afterSpinner).toMatch(compilerSays);
    expect(await labLeftovers(engineClient(), lab)).toEqual([]);
  }, 900_000);
});
