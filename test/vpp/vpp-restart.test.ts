import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { engineClient, untagLabImages } from '../support/engine.js';
import { repoRoot, runBin } from '../support/run-bin.js';

const tier = inject('vppTier');

/**
 * Measured on VPP 26.10-rc0: after a crash, the engine has VPP back and the memif app connected in
 * 1.1-1.8 s. The bound leaves room for a loaded machine.
 */
const MEMIF_BACK_WITHIN_MS = 15_000;

// VPP crashes and restarts mid-lab, on VPP built by hand (the prefix), through the CLI.
describe.skipIf(!tier.run)('VPP restarts under a running lab', () => {
  let dir: string;
  const id = Math.random().toString(16).slice(2, 8);
  const vppkit = (lab: string, args: string[]) => runBin('vppkit', args, { cwd: join(dir, lab), timeoutMs: 600_000 });
  const docker = engineClient();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vppkit-restart-'));
  });
  afterAll(async () => {
    for (const lab of ['memif', 'vcl']) vppkit(lab, ['down']);
    await rm(dir, { recursive: true, force: true });
    for (const name of [`rm${id}`, `rv${id}`]) await untagLabImages(docker, name);
  });

  async function templateLab(lab: string, name: string, template: string, path: string): Promise<void> {
    await mkdir(join(dir, lab));
    await cp(join(repoRoot, 'templates', template), join(dir, lab, 'app'), { recursive: true });
    await writeFile(join(dir, lab, 'vppkit.yaml'), `name: ${name}\nvpp:\n  prefix: ${tier.prefix}\napps:\n  - name: app\n    path: ${path}\n    build: ./app\n`);
    const up = vppkit(lab, ['up']);
    expect(up.status, up.stderr).toBe(0);
  }

  /** A real crash: VPP's own SIGSEGV handler prints a backtrace and exits non-zero (a SIGKILL from docker kill would count as a stop). */
  const crashVpp = (lab: string) => expect(vppkit(lab, ['exec', 'vpp', '--', 'sh', '-c', 'kill -SEGV 1']).status).toBe(0);
  const vppInfo = (name: string) => docker.getContainer(`vppkit-${name}_vpp`).inspect();
  const stale = (lab: string) =>
    (JSON.parse(vppkit(lab, ['status', '--json']).stdout) as { node: string; stale?: boolean }[]).filter((c) => c.stale).map((c) => c.node);

  it('memif: after VPP crashes, the engine restarts it and the app reconnects by itself; check passes within the bound', async () => {
    const name = `rm${id}`;
    await templateLab('memif', name, 'memif', 'memif');
    expect((await vppInfo(name)).HostConfig.RestartPolicy?.Name).toBe('on-failure');

    const crashed = Date.now();
    crashVpp('memif');
    let check = vppkit('memif', ['check']);
    while (check.status !== 0 && Date.now() - crashed < MEMIF_BACK_WITHIN_MS) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      check = vppkit('memif', ['check']);
    }
    expect(check.status, check.stdout).toBe(0);
    expect(Date.now() - crashed).toBeLessThan(MEMIF_BACK_WITHIN_MS);
    expect((await vppInfo(name)).RestartCount).toBe(1);
    const logs = vppkit('memif', ['logs', 'vpp']);
    expect(logs.stdout + logs.stderr).toMatch(/received signal SIGSEGV/);
    expect(stale('memif')).toEqual([]);

    // restart leaves a memif app alone: it reconnects by itself.
    const restart = vppkit('memif', ['restart']);
    expect(restart.status, restart.stderr).toBe(0);
    expect(restart.stdout).toMatch(/^vpp: restarted\napp: left alone, it reconnects by itself \(libmemif/);
    expect(vppkit('memif', ['check']).status).toBe(0);
  });

  it('vcl: after docker restart and after a crash, status names the app stale, and vppkit restart wires it again', async () => {
    const name = `rv${id}`;
    await templateLab('vcl', name, 'vcl', 'vcl');

    await docker.getContainer(`vppkit-${name}_vpp`).restart({ t: 10 });
    expect(stale('vcl')).toEqual(['app']);
    expect(vppkit('vcl', ['status']).stdout).toMatch(/stale: VPP restarted after it, run vppkit restart/);
    let restart = vppkit('vcl', ['restart']);
    expect(restart.status, restart.stderr).toBe(0);
    expect(restart.stdout).toMatch(/^vpp: restarted\napp: restarted \(VCL attaches again/);
    expect(restart.stdout).toMatch(/^Lab rv\w+ is wired again after [\d.]+ s/m);
    expect(vppkit('vcl', ['check']).status).toBe(0);
    expect(stale('vcl')).toEqual([]);

    crashVpp('vcl');
    const back = Date.now();
    while ((await vppInfo(name)).State.Running !== true || (await vppInfo(name)).RestartCount < 1) {
      expect(Date.now() - back).toBeLessThan(MEMIF_BACK_WITHIN_MS);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(stale('vcl')).toEqual(['app']);
    restart = vppkit('vcl', ['restart', 'app']);
    expect(restart.status, restart.stderr).toBe(0);
    expect(restart.stdout).toMatch(/^app: restarted\n/);
    expect(vppkit('vcl', ['check']).status).toBe(0);
    expect(stale('vcl')).toEqual([]);
  });
});
