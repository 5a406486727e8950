import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { down } from '../../src/engine/down.js';
import { labContainers } from '../../src/engine/lab-state.js';
import { up } from '../../src/engine/up.js';
import { writeGeneratedFiles } from '../../src/export/generated-files.js';
import { composeExport } from '../../src/export/project-exports.js';
import type { Plan } from '../../src/plan/plan-types.js';
import { composeAvailable, dockerCompose, wiringOf, type Wiring } from '../support/compose.js';
import { labLeftovers, testRun } from '../support/engine.js';
import { wiredOnBaseImage, enginePlan } from '../support/engine-lab.js';

const tier = inject('engineTier');
const compose = tier.run && composeAvailable('engine');

/** Without /dev/vhost-net on this host, tap's device is left out so the rest of its wiring can be compared. */
function withoutMissingDevices(plan: Plan): Plan {
  return {
    ...plan,
    containers: plan.containers.map((container) => ({ ...container, devices: container.devices.filter((device) => existsSync(device.value)) })),
  };
}

// `docker-compose up -d` of an exported compose file gives every container the wiring `vppkit up`
// gives it, read back from `docker inspect`. Stand-in images, as in the other wiring tests: VPP is not
// under test here (the vpp tier runs the exported file with a real VPP).
describe.skipIf(!compose)('an exported compose file wires the lab as vppkit up does', () => {
  const run = testRun();
  const dirs: string[] = [];
  afterAll(async () => {
    await run.cleanup();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  async function wiring(plan: Plan): Promise<Map<string, Wiring>> {
    const containers = await labContainers(run.docker, plan.lab);
    const nodesById = new Map(containers.map((container) => [container.id, container.node]));
    const result = new Map<string, Wiring>();
    for (const container of containers) result.set(container.node, await wiringOf(run.docker, container.id, nodesById));
    return result;
  }

  it.each([
    ...['memif', 'vcl', 'vcl-ldpreload', 'af_xdp', 'af_packet', 'tap'].map((path) => [path, `apps: [{ name: app, path: ${path} }]`]),
    // VPP on three networks: its egress one as the primary, and one link per app.
    ['two af_xdp apps and a memif one', 'apps: [{ name: a, path: af_xdp }, { name: b, path: af_xdp }, { name: c, path: memif }]'],
  ])('%s', async (label, body) => {
    const plan = wiredOnBaseImage(withoutMissingDevices(enginePlan(run, `compose-${label.replace(/[^a-z]+/g, '-').slice(0, 20).replace(/-$/, '')}`, body)));

    await up(run.docker, plan);
    const byUp = await wiring(plan);
    await down(run.docker, { lab: plan.lab });
    expect(await labLeftovers(run.docker, plan.lab)).toEqual([]);

    const dir = await mkdtemp(join(tmpdir(), 'vppkit-compose-'));
    dirs.push(dir);
    writeGeneratedFiles(dir, composeExport(plan, dir));
    const project = ['-p', plan.lab];
    const started = dockerCompose(dir, [...project, 'up', '-d']);
    expect(started.status, started.output).toBe(0);
    const byCompose = await wiring(plan);

    expect([...byCompose.keys()].sort()).toEqual([...byUp.keys()].sort());
    for (const container of plan.containers) {
      const fromUp = byUp.get(container.node)!;
      const fromCompose = byCompose.get(container.node)!;
      expect({ user: fromUp.user, groupAdd: fromUp.groupAdd }, container.node).toEqual({ user: container.user?.value ?? '', groupAdd: container.groups.map((grant) => grant.value) });
      // Compose mounts the files `up` copies in: exactly the planned ones, read-only, from .vppkit/files.
      const fileMounts = container.files.map((file) => `bind ${join(dir, '.vppkit/files', container.node, file.path)} -> ${file.path} (ro)`).sort();
      expect(fromCompose.mounts.filter((mount) => fileMounts.includes(mount)), container.node).toEqual(fileMounts);
      expect({ ...fromCompose, mounts: fromCompose.mounts.filter((mount) => !fileMounts.includes(mount)) }, container.node).toEqual(fromUp);
    }

    const stopped = dockerCompose(dir, [...project, 'down', '-v', '--timeout', '0']);
    expect(stopped.status, stopped.output).toBe(0);
    expect(await labLeftovers(run.docker, plan.lab)).toEqual([]);
  });
});
