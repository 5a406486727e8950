import { spawn } from 'node:child_process';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { labLocks } from '../../src/engine/lab-lock.js';
import { escapeRegExp } from '../../src/paths/common.js';
import { engineClient, labLeftovers, untagLabImages } from '../support/engine.js';
import { BIN_PATHS, repoRoot, runBin } from '../support/run-bin.js';

const tier = inject('vppTier');

interface Running {
  pid: number;
  waitFor(pattern: RegExp): Promise<void>;
  kill(): void;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; ms: number }>;
}

/** `vppkit <args>` in `cwd`, without a terminal, left running: its output as it comes. */
function startVppkit(cwd: string, args: string[]): Running {
  const child = spawn(process.execPath, [BIN_PATHS.vppkit, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const started = Date.now();
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; ms: number }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, ms: Date.now() - started })),
  );
  const waitFor = async (pattern: RegExp): Promise<void> => {
    let done = false;
    void exited.then(() => (done = true));
    while (!pattern.test(stderr)) {
      if (done) throw new Error(`vppkit ${args.join(' ')} exited before printing ${pattern}:\n${stdout}\n${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  return { pid: child.pid!, waitFor, kill: () => child.kill('SIGKILL'), exited };
}

// Issue 14, part 4, as a user meets it: two `vppkit up` of one lab at once, and a `vppkit up` killed
// -9 mid-way, on VPP built by hand (the prefix).
describe.skipIf(!tier.run)('several vppkit up at once, and one killed, on a real VPP', () => {
  let dir: string;
  const lab = `w${Math.random().toString(16).slice(2, 8)}`;
  const vppkit = (args: string[]) => runBin('vppkit', args, { cwd: dir, timeoutMs: 600_000 });
  /** How a lock message names a `vppkit up` run here. */
  const upHere = (pid: number): string => `\`vppkit up\` \\(pid ${pid} on host [^,]+, in ${escapeRegExp(dir)}, since \\S+, \\d+ s ago\\)`;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vppkit-several-'));
    await cp(join(repoRoot, 'templates/memif'), join(dir, 'app'), { recursive: true });
    // The app attaches four seconds late, so "apps ready" lasts long enough to kill vppkit in.
    await writeFile(
      join(dir, 'vppkit.yaml'),
      `name: ${lab}\nvpp:\n  prefix: ${tier.prefix}\napps:\n  - name: app\n    path: memif\n    build: ./app\n    command: [sh, -c, "sleep 4; exec memif-echo"]\n`,
    );
  });
  afterAll(async () => {
    vppkit(['down']);
    await rm(dir, { recursive: true, force: true });
    await untagLabImages(engineClient(), lab);
  });

  it('two vppkit up of one lab at the same moment: one brings it up, the other exits 1 at once naming it, and the lab has one VPP and one app', async () => {
    const both = [startVppkit(dir, ['up']), startVppkit(dir, ['up'])];
    const exits = await Promise.all(both.map((one) => one.exited));
    expect(exits.map((exit) => exit.code).sort(), exits.map((exit) => exit.stderr).join('\n')).toEqual([0, 1]);
    const loser = exits.findIndex((exit) => exit.code === 1);
    const winner = both[1 - loser]!;
    expect(exits[loser]!.stderr).toMatch(
      new RegExp(
        `^vppkit: up failed at "lock the lab": lab ${lab} is locked by another vppkit at work on it: ${upHere(winner.pid)}\\. ` +
          `Wait for it to finish, or stop it \\(Ctrl-C where it runs, or kill ${winner.pid}\\), then run this again$`,
        'm',
      ),
    );
    expect(exits[loser]!.ms).toBeLessThan(5_000);
    expect(exits[1 - loser]!.stdout).toMatch(new RegExp(`^Lab ${lab} is up: vpp \\(created\\), app \\(created\\)\\.`));
    const status = JSON.parse(vppkit(['status', '--json']).stdout) as { node: string; state: string }[];
    expect(status.map((c) => [c.node, c.state])).toEqual([['vpp', 'running'], ['app', 'running']]);
    expect(vppkit(['check']).status).toBe(0);
    expect(await labLocks(engineClient(), lab)).toEqual([]);
    expect(vppkit(['down']).status).toBe(0);
  });

  it('vppkit up killed -9 during "apps ready": status shows what it left, down removes all of it, and the next up is not blocked by its lock', async () => {
    const killedUp = async (): Promise<number> => {
      const up = startVppkit(dir, ['up']);
      await up.waitFor(/^- apps ready$/m);
      up.kill();
      expect((await up.exited).signal).toBe('SIGKILL');
      return up.pid;
    };
    const crashed = await killedUp();
    const status = vppkit(['status']);
    expect(status.stdout).toMatch(new RegExp(`^${lab} +vpp +vppkit-${lab}_vpp +running`, 'm'));
    expect(status.stdout).toMatch(new RegExp(`^${lab} +app +vppkit-${lab}_app +running`, 'm'));
    expect(status.stdout).toMatch(new RegExp(`^lab ${lab}: a lock left by ${upHere(crashed)}, which is gone; the next up or down takes it over$`, 'm'));

    const down = vppkit(['down']);
    expect(down).toMatchObject({ status: 0, stdout: `lab ${lab}: removed 2 containers, 0 networks, 1 volumes\n` });
    expect(down.stderr).toMatch(new RegExp(`^vppkit: lab ${lab}'s lock was left by ${upHere(crashed)}, which is gone: taken over and removed\\n$`));
    expect(await labLeftovers(engineClient(), lab)).toEqual([]);
    expect(await labLocks(engineClient(), lab)).toEqual([]);

    const crashedAgain = await killedUp();
    const next = vppkit(['up']);
    expect(next.status, next.stderr).toBe(0);
    expect(next.stderr).toMatch(new RegExp(`^  ok lock the lab: taken over from ${upHere(crashedAgain)}, which is gone \\(`, 'm'));
    expect(next.stdout).toMatch(new RegExp(`^Lab ${lab} is up: `));
    expect(vppkit(['check']).status).toBe(0);
    expect(vppkit(['down'])).toMatchObject({ status: 0, stdout: `lab ${lab}: removed 2 containers, 0 networks, 1 volumes\n`, stderr: '' });
    expect(await labLocks(engineClient(), lab)).toEqual([]);
  });
});
