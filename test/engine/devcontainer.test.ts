import { readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { resolveBaseImage } from '../../src/config/defaults.js';
import { execIn } from '../../src/engine/exec.js';
import { labContainers } from '../../src/engine/lab-state.js';
import { writeGeneratedFiles } from '../../src/export/generated-files.js';
import { TEMPLATE_ID } from '../../src/export/devcontainer-template.js';
import { cmakeBuildCommand, devcontainerExport } from '../../src/export/project-exports.js';
import { PATH_NAMES } from '../../src/lab/lab-model.js';
import { parseLab } from '../../src/lab/load-lab.js';
import { VPP_GROUP } from '../../src/paths/common.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import { composeAvailable } from '../support/compose.js';
import { applyTemplate, devcontainer, linkThisVppkit, outcomeOf } from '../support/devcontainer.js';
import { nonRootHostUser, type HostUser } from '../support/host-user.js';
import { testRun } from '../support/engine.js';
import { idle, withoutReadiness } from '../support/engine-lab.js';
import { runBin } from '../support/run-bin.js';
import { labelledForTest } from '../support/vpp-lab.js';

const tier = inject('engineTier');
const compose = tier.run && composeAvailable('engine');

// A generated project's dev container on the real engine, through the devcontainer CLI. VPP is a
// stand-in (the base image, idle, no health check): what is under test is that the CLI takes the
// config, builds the app in the container and that the container is wired to VPP's /run/vpp. The vpp
// tier does the same with a real VPP and runs the app's smoke check.
describe.skipIf(!compose)('the generated dev container, with the devcontainer CLI', () => {
  const run = testRun();
  let work: string;
  /** The developer: not root (these machines run the tests as root, which proves nothing here). */
  let user: HostUser | undefined;
  afterAll(async () => {
    await run.cleanup();
    if (work) await rm(work, { recursive: true, force: true });
    // Last: userdel refuses a user whose processes (the dev container's) still run.
    user?.remove();
  });

  it('read-configuration accepts it; up builds the app in it; exec sees the /run/vpp VPP shares', async () => {
    work = await mkdtemp(join(tmpdir(), 'vppkit-devcontainer-'));
    const name = `t${run.id}-dev`;
    const created = runBin('create-vpp-app', [name, '--vcl-ldpreload', '--vpp-image', resolveBaseImage()], { cwd: work });
    expect(created.status, created.stderr).toBe(0);
    const project = join(work, name);
    linkThisVppkit(project);
    const plan = labelledForTest(buildPlan(parseLab(readFileSync(join(project, 'vppkit.yaml'), 'utf8'), join(project, 'vppkit.yaml'))), run.labels);
    writeGeneratedFiles(
      project,
      devcontainerExport(withoutReadiness(idle(plan, ['vpp'])), project, { postCreateCommand: cmakeBuildCommand('.') }),
    );

    user = nonRootHostUser('vkdev');
    user.own(work);
    const read = devcontainer(['read-configuration', '--workspace-folder', project], user);
    expect(read.status, read.stderr).toBe(0);
    expect(JSON.parse(read.stdout).configuration).toMatchObject({ service: 'app', runServices: ['vpp', 'app'], workspaceFolder: `/workspaces/${name}` });

    const started = devcontainer(['up', '--workspace-folder', project], user);
    expect(outcomeOf(started.stdout), started.stderr.slice(-3000)).toMatchObject({ outcome: 'success' });
    expect(started.stderr).toMatch(/Installing: \/usr\/local\/bin\/echo-server/);

    const vpp = (await labContainers(run.docker, plan.lab)).find((container) => container.node === 'vpp')!;
    expect((await execIn(run.docker, vpp.id, ['sh', '-c', 'echo from-vpp > /run/vpp/probe'])).exitCode).toBe(0);
    const seen = devcontainer(['exec', '--workspace-folder', project, 'sh', '-c', 'cat /run/vpp/probe; pwd; command -v echo-server; echo "preload=$LD_PRELOAD vcl=$VCL_CONFIG"'], user);
    expect(seen.status, seen.stderr).toBe(0);
    expect(seen.stdout).toBe(`from-vpp\n/workspaces/${name}\n/usr/local/bin/echo-server\npreload= vcl=/etc/vpp/vcl.conf\n`);

    // The dev container's user is the host user by number, in VPP's group; the build in the workspace is theirs.
    const who = devcontainer(['exec', '--workspace-folder', project, 'sh', '-c', 'id -u; id -g; id -G'], user);
    const [uid, gid, groups] = who.stdout.split('\n');
    expect([uid, gid]).toEqual([String(user.uid), String(user.gid)]);
    expect(groups!.split(' ')).toContain(String(VPP_GROUP.gid));
    expect(statSync(join(project, 'build'))).toMatchObject({ uid: user.uid, gid: user.gid });
  });
});

// The Dev Container Template, applied for each path as devcontainers/templates applies it: the CLI
// takes the result (bringing it up needs a VPP image, so that is the vpp tier's).
describe.skipIf(!tier.run)(`the ${TEMPLATE_ID} Dev Container Template`, () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it.each([...PATH_NAMES])('path %s: devcontainer read-configuration accepts the applied template', async (path) => {
    const workspace = await mkdtemp(join(tmpdir(), 'vppkit-template-'));
    dirs.push(workspace);
    applyTemplate(TEMPLATE_ID, workspace, { path, baseImage: resolveBaseImage() });
    const read = devcontainer(['read-configuration', '--workspace-folder', workspace]);
    expect(read.status, read.stderr).toBe(0);
    const { configuration } = JSON.parse(read.stdout) as { configuration: Record<string, unknown> };
    expect(configuration).toMatchObject({ service: 'app', dockerComposeFile: [`compose.${path}.yaml`], name: `VPP app over ${path}` });
  });
});
