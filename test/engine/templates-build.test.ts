import { mkdtemp, rm, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { resolveBaseImage } from '../../src/config/defaults.js';
import { down } from '../../src/engine/down.js';
import { execIn } from '../../src/engine/exec.js';
import { up } from '../../src/engine/up.js';
import { parseLab } from '../../src/lab/load-lab.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import { testRun } from '../support/engine.js';
import { idle, withoutReadiness } from '../support/engine-lab.js';
import { repoRoot } from '../support/run-bin.js';
import { labelledForTest } from '../support/vpp-lab.js';

const tier = inject('engineTier');

// The templates that need no VPP headers build on an app-dev image made from the plain base image;
// memif and vcl build against a real VPP in the vpp tier (create-and-run.test.ts).
describe.skipIf(!tier.run)('templates build on the app-dev image', () => {
  const run = testRun();
  let dir: string;
  afterAll(async () => {
    await run.cleanup();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('sockets-echo: builds with -Werror, and its server and client echo over TCP and UDP', async () => {
    dir = await mkdtemp(join(tmpdir(), 'vppkit-template-'));
    await cp(join(repoRoot, 'templates/sockets-echo'), join(dir, 'app'), { recursive: true });
    const source = `name: t${run.id}-tmpl\nvpp: { image: ${resolveBaseImage()} }\napps: [{ name: app, path: af_xdp, build: ./app }]\n`;
    const plan = labelledForTest(buildPlan(parseLab(source, join(dir, 'vppkit.yaml'))), run.labels);
    const result = await up(run.docker, withoutReadiness(idle(plan, ['vpp'])));
    const app = result.containers.find((c) => c.node === 'app')!;
    const tcp = await execIn(run.docker, app.id, ['sh', '-c', 'sleep 0.5; echo-client -n 3']);
    expect(tcp.stdout).toMatch(/^echo-client: 3\/3 echoed over TCP by 10\.\d+\.1\.2:7000/);
    const udp = await execIn(run.docker, app.id, ['echo-client', '-u', '-n', '3']);
    expect(udp.stdout).toMatch(/^echo-client: 3\/3 echoed over UDP/);
    await down(run.docker, { lab: plan.lab });
  });
});
