import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { engineClient, labLeftovers, untagLabImages } from '../support/engine.js';
import { BIN_PATHS, repoRoot, runBin } from '../support/run-bin.js';

const tier = inject('vppTier');

interface Interrupted {
  code: number;
  seen: boolean;
  output: string;
}

/** vppkit up in the lab's folder, interrupted once its output matches: Ctrl-C typed on a pseudo-terminal, or SIGINT without one. */
function interruptUp(cwd: string, when: string, tty: boolean): Interrupted {
  const driver = join(repoRoot, 'test/support/run-as-user.py');
  const args = [driver, ...(tty ? ['--tty'] : []), '--interrupt-at', when, '120', '--', process.execPath, BIN_PATHS.vppkit, 'up'];
  return JSON.parse(execFileSync('python3', args, { cwd, encoding: 'utf8', env: process.env, timeout: 180_000 })) as Interrupted;
}

// Ctrl-C during `vppkit up` is a rollback, at every step, on a terminal and without one: exit 130 and
// nothing of that up left (a terminal's raw mode once swallowed it: "Canceled", exit 0, lab running).
describe.skipIf(!tier.run)('Ctrl-C during vppkit up, on a real VPP', () => {
  let dir: string;
  const lab = `i${Math.random().toString(16).slice(2, 8)}`;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vppkit-interrupt-'));
    await cp(join(repoRoot, 'templates/memif'), join(dir, 'app'), { recursive: true });
    // The app attaches three seconds late, so "apps ready" lasts long enough to be interrupted.
    await writeFile(
      join(dir, 'vppkit.yaml'),
      `name: ${lab}\nvpp:\n  prefix: ${tier.prefix}\napps:\n  - name: app\n    path: memif\n    build: ./app\n    command: [sh, -c, "sleep 3; exec memif-echo"]\n`,
    );
    // Warm: the images exist, as after a developer's first up.
    const up = runBin('vppkit', ['up'], { cwd: dir, timeoutMs: 600_000 });
    expect(up.status, up.stderr).toBe(0);
    expect(runBin('vppkit', ['down'], { cwd: dir }).status).toBe(0);
  }, 900_000);

  afterAll(async () => {
    runBin('vppkit', ['down'], { cwd: dir });
    await rm(dir, { recursive: true, force: true });
    await untagLabImages(engineClient(), lab);
  });

  it.each(['VPP ready', 'apps ready'])('on a terminal, Ctrl-C during "%s": exit 130, and the lab is gone', async (step) => {
    const result = interruptUp(dir, step, true);
    expect(result.seen, result.output).toBe(true);
    expect(result.code, result.output).toBe(130);
    expect(result.output).toContain('vppkit: interrupted; removing what this up created');
    expect(result.output).not.toMatch(/Canceled/);
    expect(await labLeftovers(engineClient(), lab)).toEqual([]);
  });

  it.each(['check the host', 'images', 'volumes and networks', 'start vpp', 'VPP ready', 'start app', 'apps ready'])(
    'without a terminal, SIGINT at "%s": exit 130, and nothing of that up is left',
    async (step) => {
      const result = interruptUp(dir, `(?m)^- ${step}$`, false);
      expect(result.seen, result.output).toBe(true);
      expect(result.code, result.output).toBe(130);
      expect(result.output).toMatch(/up failed at ".+": interrupted/);
      expect(await labLeftovers(engineClient(), lab)).toEqual([]);
    },
  );
});
