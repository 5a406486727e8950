import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { resolveBaseImage } from '../../src/config/defaults.js';
import { down } from '../../src/engine/down.js';
import { execIn } from '../../src/engine/exec.js';
import { labContainers } from '../../src/engine/lab-state.js';
import { up, UpError } from '../../src/engine/up.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import type { Plan } from '../../src/plan/plan-types.js';
import { labLeftovers, TEST_RUN_LABEL, testRun } from '../support/engine.js';
import { enginePlan, idle, onBaseImage, wiredOnBaseImage, withCommands, withoutReadiness } from '../support/engine-lab.js';
import { labelledForTest } from '../support/vpp-lab.js';
import { parseLab } from '../../src/lab/load-lab.js';

const tier = inject('engineTier');

describe.skipIf(!tier.run)('up and down on the real engine', () => {
  const run = testRun();
  afterAll(() => run.cleanup());

  const labelled = (lab: string) => labLeftovers(run.docker, lab);

  /** An af_xdp lab's link network (VPP's egress network comes first). */
  const xdp = (plan: Plan) => plan.networks.find((network) => network.name.endsWith('_xdp'))!;

  it('changes nothing on a second up, recreates a changed app alone, and down leaves nothing labelled', async () => {
    const body = 'apps:\n  - { name: a, path: memif }\n  - { name: b, path: af_xdp, env: { V: "1" } }';
    const plan = enginePlan(run, 'cycle', body);
    const first = await up(run.docker, wiredOnBaseImage(plan));
    expect(first.containers.map((c) => c.action)).toEqual(['created', 'created', 'created']);

    const again = await up(run.docker, wiredOnBaseImage(plan));
    expect(again.containers.map((c) => c.action)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    expect(again.containers.map((c) => c.id)).toEqual(first.containers.map((c) => c.id));

    const changed = enginePlan(run, 'cycle', body.replace('V: "1"', 'V: "2"'));
    const third = await up(run.docker, wiredOnBaseImage(changed));
    expect(third.containers.map((c) => [c.node, c.action])).toEqual([['vpp', 'unchanged'], ['a', 'unchanged'], ['b', 'recreated']]);

    const removed = await down(run.docker, { lab: plan.lab });
    expect(removed.containers.sort()).toEqual(plan.containers.map((c) => c.name).sort());
    expect(removed.networks.sort()).toEqual(plan.networks.map((network) => network.name).sort());
    expect(removed.volumes).toEqual([plan.volumes[0]!.name]);
    expect(await labelled(plan.lab)).toEqual([]);
  });

  it('removes the containers of apps the lab no longer has', async () => {
    const plan = enginePlan(run, 'shrink', 'apps: [{ name: a, path: memif }, { name: b, path: vcl }]');
    await up(run.docker, wiredOnBaseImage(plan));
    const smaller = enginePlan(run, 'shrink', 'apps: [{ name: a, path: memif }]');
    const result = await up(run.docker, wiredOnBaseImage(smaller));
    expect(result.removed).toEqual([`vppkit-${plan.lab}_b`]);
    expect((await labContainers(run.docker, plan.lab)).map((c) => c.node)).toEqual(['vpp', 'a']);
    await down(run.docker, { lab: plan.lab });
  });

  it('runs two labs side by side without clashing, and down removes only its own', async () => {
    const one = enginePlan(run, 'left', 'apps: [{ name: app, path: af_xdp }]');
    const two = enginePlan(run, 'right', 'apps: [{ name: app, path: af_xdp }]');
    expect(xdp(one).subnet).not.toBe(xdp(two).subnet);
    await up(run.docker, wiredOnBaseImage(one));
    await up(run.docker, wiredOnBaseImage(two));
    expect((await labContainers(run.docker, one.lab)).every((c) => c.running)).toBe(true);
    expect((await labContainers(run.docker, two.lab)).every((c) => c.running)).toBe(true);
    await down(run.docker, { lab: one.lab });
    expect(await labelled(one.lab)).toEqual([]);
    expect((await labelled(two.lab)).length).toBe(5);
    await down(run.docker, { lab: two.lab });
  });

  it('replaces an af_xdp network whose subnet changed, and the one of a renamed app', async () => {
    const first = enginePlan(run, 'renet', 'pool: 10.251.0.0/16\napps: [{ name: a, path: af_xdp }]');
    await up(run.docker, wiredOnBaseImage(first));
    const moved = enginePlan(run, 'renet', 'pool: 10.251.0.0/16\napps: [{ name: a, path: af_xdp, address: 10.251.9.2/24 }]');
    await up(run.docker, wiredOnBaseImage(moved));
    expect((await run.docker.getNetwork(xdp(moved).name).inspect()).IPAM?.Config?.[0]?.Subnet).toBe('10.251.9.0/24');
    const renamed = enginePlan(run, 'renet', 'pool: 10.251.0.0/16\napps: [{ name: b, path: af_xdp, address: 10.251.9.2/24 }]');
    const result = await up(run.docker, wiredOnBaseImage(renamed));
    expect(result.removed.sort()).toEqual([xdp(moved).name, `vppkit-${renamed.lab}_a`].sort());
    expect((await labelled(renamed.lab)).filter((item) => item.startsWith('network')).sort()).toEqual(renamed.networks.map((network) => `network ${network.name}`).sort());
    await down(run.docker, { lab: renamed.lab });
  });

  it('keeps labs apart whose names would collide joined by "-" (web + api-server, web-api + server)', async () => {
    const one = enginePlan(run, 'web', 'apps: [{ name: api-server, path: af_xdp }]');
    const two = enginePlan(run, 'web-api', 'apps: [{ name: server, path: af_xdp }]');
    await up(run.docker, wiredOnBaseImage(one));
    await up(run.docker, wiredOnBaseImage(two));
    expect((await labContainers(run.docker, one.lab)).map((c) => c.node)).toEqual(['vpp', 'api-server']);
    expect((await labContainers(run.docker, two.lab)).map((c) => c.node)).toEqual(['vpp', 'server']);
    await down(run.docker, { lab: one.lab });
    await down(run.docker, { lab: two.lab });
  });

  it('refuses to adopt a same-named volume that is not the lab\'s', async () => {
    const plan = enginePlan(run, 'squat', 'apps: [{ name: app, path: memif }]');
    await run.docker.createVolume({ Name: plan.volumes[0]!.name, Labels: { [TEST_RUN_LABEL]: run.id } });
    const error = (await up(run.docker, wiredOnBaseImage(plan)).catch((e: unknown) => e)) as UpError;
    expect(error.reason).toMatch(/a volume named vppkit-t\w+-squat_run exists but is not lab t\w+-squat's \(its io\.vppkit\.lab label is missing\): remove it, or rename the lab/);
    expect(await run.docker.getVolume(plan.volumes[0]!.name).inspect()).toBeTruthy();
  });

  it('rolls the whole up back when an app fails, naming the step and showing the app\'s last log lines', async () => {
    const plan = enginePlan(run, 'failing', 'apps: [{ name: ok, path: vcl }, { name: broken, path: memif }]');
    const failing: Plan = {
      ...plan,
      vppReady: [],
      appsReady: [{ node: 'broken', about: 'broken', description: 'broken is running', run: { kind: 'exec', cmd: ['true'] } }],
    };
    const attempt = up(run.docker, withCommands(onBaseImage(failing), { broken: ['sh', '-c', 'echo cannot open /run/vpp/memif.sock >&2; exit 3'] }));
    const error = (await attempt.catch((e: unknown) => e)) as UpError;
    expect(error).toBeInstanceOf(UpError);
    expect(error.step).toBe('apps ready');
    expect(error.reason).toMatch(/broken stopped \(exit code 3\)/);
    expect(error.details).toContain('cannot open /run/vpp/memif.sock');
    expect(await labelled(plan.lab)).toEqual([]);
  });

  it('keeps what it created on failure when asked to', async () => {
    const plan = enginePlan(run, 'kept', 'apps: [{ name: broken, path: memif }]');
    const failing: Plan = { ...plan, vppReady: [], appsReady: [{ node: 'broken', about: 'broken', description: 'runs', run: { kind: 'exec', cmd: ['true'] } }] };
    await expect(
      up(run.docker, withCommands(onBaseImage(failing), { broken: ['false'] }), { keepOnFailure: true }),
    ).rejects.toBeInstanceOf(UpError);
    expect((await labelled(plan.lab)).length).toBe(3);
    await down(run.docker, { lab: plan.lab });
  });

  it('stops and rolls back when interrupted', async () => {
    const plan = enginePlan(run, 'interrupted', 'apps: [{ name: app, path: memif }]');
    const controller = new AbortController();
    const waiting: Plan = { ...plan, vppReady: [{ node: 'vpp', about: 'vpp', description: 'never', run: { kind: 'exec', cmd: ['false'] } }] };
    const attempt = up(run.docker, onBaseImage(waiting), { signal: controller.signal });
    setTimeout(() => controller.abort(), 1_500);
    await expect(attempt).rejects.toThrow(/interrupted/);
    expect(await labelled(plan.lab)).toEqual([]);
  });

  it.skipIf(existsSync('/dev/vhost-net'))('refuses a tap lab on a host without /dev/vhost-net, with doctor\'s words, creating nothing', async () => {
    const plan = enginePlan(run, 'notap', 'apps: [{ name: app, path: tap }]');
    const error = (await up(run.docker, wiredOnBaseImage(plan)).catch((e: unknown) => e)) as UpError;
    expect(error.step).toBe('check the host');
    expect(error.reason).toMatch(/\/dev\/vhost-net: missing: VPP's TAP v2 .* \(blocks tap; fix: load it \(sudo modprobe vhost_net\)/);
    expect(await labelled(plan.lab)).toEqual([]);
  });

  describe('building app images', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'vppkit-apps-'));
    });
    afterAll(() => rm(dir, { recursive: true, force: true }));

    /** A lab whose VPP is the base image (no VPP needed) and whose app is built from `dockerfile`. */
    async function labWithApp(name: string, dockerfile: string): Promise<Plan> {
      const appDir = join(dir, name);
      await mkdir(appDir, { recursive: true });
      await writeFile(join(appDir, 'Dockerfile'), dockerfile);
      const source = `name: t${run.id}-${name}\nvpp: { image: ${resolveBaseImage()} }\napps: [{ name: app, path: vcl, build: ./${name} }]\n`;
      return labelledForTest(buildPlan(parseLab(source, join(dir, 'vppkit.yaml'))), run.labels);
    }

    it('fails up with the build\'s own error when an app\'s Dockerfile is broken, and leaves nothing', async () => {
      const plan = await labWithApp('broken', 'ARG VPPKIT_APP_DEV_IMAGE\nFROM ${VPPKIT_APP_DEV_IMAGE}\nRUN echo compiling && exit 9\n');
      const error = (await up(run.docker, withoutReadiness(idle(plan, ['vpp']))).catch((e: unknown) => e)) as UpError;
      expect(error).toBeInstanceOf(UpError);
      expect(error.step).toBe('images');
      expect(error.reason).toMatch(/building image vppkit\/t\w+-broken_app:\w+ failed: .*returned a non-zero code: 9/);
      expect(await labelled(plan.lab)).toEqual([]);
    });

    it('builds an app on the app-dev image (toolchain on the lab\'s VPP image) and reuses it when nothing changed', async () => {
      const plan = await labWithApp('built', 'ARG VPPKIT_APP_DEV_IMAGE\nFROM ${VPPKIT_APP_DEV_IMAGE}\nRUN printf "int main(void){return 0;}" > t.c && cc -Wall -Werror t.c -o /usr/local/bin/app-ok\n');
      const stood = withoutReadiness(idle(plan));
      const first = await up(run.docker, stood);
      const app = first.containers.find((c) => c.node === 'app')!;
      expect((await execIn(run.docker, app.id, ['sh', '-c', 'command -v app-ok && command -v cmake'])).stdout).toBe('/usr/local/bin/app-ok\n/usr/bin/cmake\n');
      const again = await up(run.docker, stood);
      expect(again.containers.map((c) => c.action)).toEqual(['unchanged', 'unchanged']);
      await down(run.docker, { lab: plan.lab });
    });
  });
});
