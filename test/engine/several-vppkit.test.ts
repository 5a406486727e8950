import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { labLocks, lockName } from '../../src/engine/lab-lock.js';
import { down } from '../../src/engine/down.js';
import { labContainers } from '../../src/engine/lab-state.js';
import { silentReporter, up, UpError, type UpReporter } from '../../src/engine/up.js';
import { LABEL, labelFilter } from '../../src/plan/labels.js';
import type { Plan } from '../../src/plan/plan-types.js';
import { escapeRegExp } from '../../src/paths/common.js';
import { pollUntil } from '../../src/util/poll.js';
import { labLeftovers, testRun } from '../support/engine.js';
import { enginePlan, onBaseImage, wiredOnBaseImage } from '../support/engine-lab.js';
import { engineView } from '../support/engine-view.js';
import { BIN_PATHS } from '../support/run-bin.js';
import { upProcesses, type UpProcesses } from '../support/up-process.js';

const tier = inject('engineTier');
const execFileAsync = promisify(execFile);

/** VPP's readiness never passes: an up stays in "VPP ready" (for two minutes) until stopped or killed. */
function neverReady(plan: Plan): Plan {
  return { ...plan, vppReady: [{ node: 'vpp', about: 'vpp', description: 'never ready', run: { kind: 'exec', cmd: ['false'] } }], appsReady: [] };
}

// Issue 14, part 4: two vppkit at once on one lab, `down --all`, labs whose file is gone or whose
// engine restarted, and a vppkit killed mid-up. Labs run on the base image (no VPP); the `up`s that
// run as other processes are the engine's `up` in a process of its own (test/support/up-process.ts).
describe.skipIf(!tier.run)('several vppkit at once, and labs left behind', () => {
  const run = testRun();
  const docker = run.docker;
  let processes: UpProcesses;
  let dir: string;

  beforeAll(async () => {
    processes = await upProcesses();
    dir = await mkdtemp(join(tmpdir(), 'vppkit-several-')); // no lab file here: labs are found by --name
  });
  afterAll(async () => {
    await processes.close();
    // A failed test may leave a lock: they carry no test-run label.
    for (const { lab } of await labLocks(docker)) {
      if (lab.startsWith(`t${run.id}-`)) await docker.getContainer(lockName(lab)).remove({ force: true }).catch(() => undefined);
    }
    await run.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  /** The CLI, without blocking this process (an up in it may hold a lock, and the engine view answers from it). */
  async function vppkit(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ status: number; stdout: string; stderr: string }> {
    try {
      const { stdout, stderr } = await execFileAsync(process.execPath, [BIN_PATHS.vppkit, ...args], { cwd: dir, env: { ...process.env, ...env }, timeout: 120_000 });
      return { status: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      return { status: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
    }
  }

  /** One container per node, running, the plan's networks and volume, and no lock: what one up makes. */
  async function expectWhole(plan: Plan): Promise<void> {
    const containers = await labContainers(docker, plan.lab);
    expect(containers.map((c) => [c.node, c.name, c.running])).toEqual(plan.containers.map((c) => [c.node, c.name, true]));
    const filters = labelFilter({ [LABEL.lab]: plan.lab });
    expect((await docker.listNetworks({ filters })).map((n) => n.Name).sort()).toEqual(plan.networks.map((n) => n.name).sort());
    expect(((await docker.listVolumes({ filters })).Volumes ?? []).map((v) => v.Name).sort()).toEqual(plan.volumes.map((v) => v.name).sort());
    expect(await labLocks(docker, plan.lab)).toEqual([]);
  }

  /** An up of the plan in another process, killed -9 once it reaches `step`: a vppkit that crashed there. */
  async function killedDuring(plan: Plan, step: string): Promise<number> {
    const crashing = await processes.start(plan);
    await crashing.waitFor(new RegExp(`^- ${escapeRegExp(step)}$`, 'm'));
    crashing.kill('SIGKILL');
    expect((await crashing.exited).signal).toBe('SIGKILL');
    return crashing.pid;
  }

  /** "`up-process.mjs ...` (pid N on host H, in D, since T, S s ago)", as lock messages name a holder. */
  const holderOf = (pid: number): string => `\`up-process [^\`]+\` \\(pid ${pid} on host ${escapeRegExp(hostname())}, in ${escapeRegExp(process.cwd())}, since \\S+, \\d+ s ago\\)`;

  it('two ups of one lab at once in one process: one proceeds, the other fails at its first step naming this process, and the lab is whole', async () => {
    const plan = wiredOnBaseImage(enginePlan(run, 'twice', 'apps: [{ name: a, path: memif }, { name: b, path: af_xdp }]'));
    const outcomes = await Promise.allSettled([up(docker, plan), up(docker, plan)]);
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    const lost = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected')!.reason as UpError;
    expect(lost).toBeInstanceOf(UpError);
    expect(lost.step).toBe('lock the lab');
    expect(lost.reason).toMatch(
      new RegExp(
        `^lab ${plan.lab} is locked by another vppkit at work on it: \`[^\`]+\` \\(pid ${process.pid} on host ${escapeRegExp(hostname())}, in ${escapeRegExp(process.cwd())}, since \\S+, \\d+ s ago\\)\\. ` +
          `Wait for it to finish, or stop it \\(Ctrl-C where it runs, or kill ${process.pid}\\), then run this again$`,
      ),
    );
    await expectWhole(plan);
    await down(docker, { lab: plan.lab });
    expect(await labLeftovers(docker, plan.lab)).toEqual([]);
  });

  it('two processes up one lab at the same moment: exactly one proceeds, the other exits 1 at once naming the first, and the lab is whole', async () => {
    const plan = wiredOnBaseImage(enginePlan(run, 'race', 'apps: [{ name: a, path: memif }, { name: b, path: af_xdp }, { name: c, path: vcl }]'));
    const both = [await processes.start(plan, { onGo: true }), await processes.start(plan, { onGo: true })];
    for (const one of both) one.go();
    const exits = await Promise.all(both.map((one) => one.exited));
    expect(exits.map((exit) => exit.code).sort()).toEqual([0, 1]);
    const loser = exits.findIndex((exit) => exit.code === 1);
    const winner = both[1 - loser]!;
    expect(exits[loser]!.stderr).toMatch(new RegExp(`^up failed at "lock the lab": lab ${plan.lab} is locked by another vppkit at work on it: ${holderOf(winner.pid)}\\. Wait for it to finish, or stop it`, 'm'));
    // At once: the loser never waits for the winner's up.
    expect(exits[loser]!.ms).toBeLessThan(5_000);
    await expectWhole(plan);
    await down(docker, { lab: plan.lab });
  });

  it('two processes at once on the lock a killed vppkit left: one takes it over, the other is refused naming that one', async () => {
    const plan = enginePlan(run, 'retake', 'apps: [{ name: app, path: memif }]');
    const crashed = await killedDuring(neverReady(onBaseImage(plan)), 'VPP ready');
    const both = [await processes.start(wiredOnBaseImage(plan), { onGo: true }), await processes.start(wiredOnBaseImage(plan), { onGo: true })];
    for (const one of both) one.go();
    const exits = await Promise.all(both.map((one) => one.exited));
    expect(exits.map((exit) => exit.code).sort()).toEqual([0, 1]);
    const loser = exits.findIndex((exit) => exit.code === 1);
    // The one that removed the left lock is not always the one whose lock is made next: the winner may
    // never have seen it.
    expect(exits[1 - loser]!.stderr).toMatch(new RegExp(`^  ok lock the lab(: taken over from ${holderOf(crashed)}, which is gone)? \\(`, 'm'));
    expect(exits[loser]!.stderr).toMatch(new RegExp(`^up failed at "lock the lab": lab ${plan.lab} is locked by another vppkit at work on it: ${holderOf(both[1 - loser]!.pid)}\\.`, 'm'));
    await expectWhole(wiredOnBaseImage(plan));
    await down(docker, { lab: plan.lab });
  });

  it('a vppkit killed -9 mid-up: status shows its lab and the lock it left, down --name removes both, and the next up takes such a lock over', async () => {
    const plan = enginePlan(run, 'killed', 'apps: [{ name: app, path: memif }, { name: side, path: af_xdp }]');
    const crashed = await killedDuring(neverReady(onBaseImage(plan)), 'VPP ready');
    expect(await labLeftovers(docker, plan.lab)).toEqual(expect.arrayContaining([`container /${plan.containers[0]!.name}`, `volume ${plan.volumes[0]!.name}`]));
    expect((await labLocks(docker, plan.lab)).map((lock) => lock.holder.pid)).toEqual([crashed]);

    const status = await vppkit(['status', '--name', plan.lab]);
    expect(status.status, status.stderr).toBe(0);
    expect(status.stdout).toMatch(new RegExp(`^${plan.lab} +vpp +${plan.containers[0]!.name} +running`, 'm'));
    expect(status.stdout).toMatch(new RegExp(`^lab ${plan.lab}: a lock left by ${holderOf(crashed)}, which is gone; the next up or down takes it over$`, 'm'));

    // The lab file is gone (there never was one here): down by name finds it all by label.
    const removed = await vppkit(['down', '--name', plan.lab]);
    expect(removed.status, removed.stderr).toBe(0);
    expect(removed.stdout).toMatch(new RegExp(`^lab ${plan.lab}: removed [123] containers, ${plan.networks.length} networks, ${plan.volumes.length} volumes\\n$`));
    expect(removed.stderr).toMatch(new RegExp(`^vppkit: lab ${plan.lab}'s lock was left by ${holderOf(crashed)}, which is gone: taken over and removed$`, 'm'));
    expect(await labLeftovers(docker, plan.lab)).toEqual([]);
    expect(await labLocks(docker, plan.lab)).toEqual([]);

    const crashedAgain = await killedDuring(neverReady(onBaseImage(plan)), 'VPP ready');
    const summaries = new Map<string, string | undefined>();
    const reporter: UpReporter = { ...silentReporter, succeed: (step, summary) => summaries.set(step, summary) };
    await up(docker, wiredOnBaseImage(plan), { reporter });
    expect(summaries.get('lock the lab')).toMatch(new RegExp(`^taken over from ${holderOf(crashedAgain)}, which is gone$`));
    await expectWhole(wiredOnBaseImage(plan));
    await down(docker, { lab: plan.lab });
  });

  it('after an engine restart (its containers stopped) status shows the lab, up brings it back, and down --name removes it', async () => {
    const plan = wiredOnBaseImage(enginePlan(run, 'restart', 'apps: [{ name: a, path: memif }, { name: b, path: af_xdp }]'));
    const stopAll = async (): Promise<void> => {
      await Promise.all((await labContainers(docker, plan.lab)).map((c) => docker.getContainer(c.id).stop({ t: 0 })));
    };
    await up(docker, plan);
    await stopAll();

    const status = await vppkit(['status', '--name', plan.lab]);
    expect(status.status, status.stderr).toBe(0);
    for (const container of plan.containers) expect(status.stdout).toMatch(new RegExp(`^${plan.lab} +${container.node} +${container.name} +exited`, 'm'));
    const again = await up(docker, plan);
    expect(again.containers.map((c) => c.action)).toEqual(['recreated', 'recreated', 'recreated']);
    await expectWhole(plan);

    await stopAll();
    const removed = await vppkit(['down', '--name', plan.lab]);
    expect(removed).toMatchObject({ status: 0, stdout: `lab ${plan.lab}: removed 3 containers, 2 networks, ${plan.volumes.length} volumes\n`, stderr: '' });
    expect(await labLeftovers(docker, plan.lab)).toEqual([]);
  });

  it('down --all removes every lab and the lock a gone vppkit left; a lab an up is at work on stays, named, until it is done', async () => {
    // Through a view of the engine that shows this test's labs alone: other test files' labs, on the
    // same engine meanwhile, are every lab too.
    const view = await engineView(`t${run.id}-all-`);
    try {
      const [memif, xdp, crashed, busy] = ['all-a', 'all-b', 'all-c', 'all-d'].map((name) => enginePlan(run, name, 'apps: [{ name: app, path: memif }, { name: side, path: af_xdp }]')) as [Plan, Plan, Plan, Plan];
      await up(docker, wiredOnBaseImage(memif));
      await up(docker, wiredOnBaseImage(xdp));
      const gone = await killedDuring(neverReady(onBaseImage(crashed)), 'VPP ready');
      const steps: string[] = [];
      const stop = new AbortController();
      const atWork = up(docker, neverReady(onBaseImage(busy)), { reporter: { ...silentReporter, start: (step) => steps.push(step) }, signal: stop.signal });
      atWork.catch(() => undefined);
      await pollUntil('the up of the busy lab in VPP ready', async () => (steps.includes('VPP ready') ? { done: true, value: true } : { done: false, last: steps.join(', ') }), { timeoutMs: 60_000 });

      const all = await vppkit(['down', '--all'], { DOCKER_HOST: view.host });
      expect(all.status, all.stdout).toBe(1);
      expect(all.stderr).toMatch(new RegExp(`^vppkit: lab ${crashed.lab}'s lock was left by ${holderOf(gone)}, which is gone: taken over and removed$`, 'm'));
      expect(all.stderr).toMatch(
        new RegExp(
          `^vppkit: removed labs ${memif.lab}, ${xdp.lab}, ${crashed.lab}; could not remove everything: lab ${busy.lab} is locked by another vppkit at work on it: ` +
            `\`[^\`]+\` \\(pid ${process.pid} on host [^,]+, in [^,]+, since \\S+, \\d+ s ago\\)\\. Wait for it to finish`,
          'm',
        ),
      );
      for (const lab of [memif.lab, xdp.lab, crashed.lab]) {
        expect(await labLeftovers(docker, lab)).toEqual([]);
        expect(await labLocks(docker, lab)).toEqual([]);
      }
      expect((await labLeftovers(docker, busy.lab)).length).toBeGreaterThan(0);

      stop.abort();
      await expect(atWork).rejects.toThrow(/interrupted/);
      expect(await labLeftovers(docker, busy.lab)).toEqual([]);
      expect(await vppkit(['down', '--all'], { DOCKER_HOST: view.host })).toMatchObject({ status: 0, stdout: 'all labs: nothing to remove\n', stderr: '' });
    } finally {
      await view.close();
    }
  });
});
