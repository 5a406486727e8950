import { engineClient } from '../support/engine.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { TEMPLATE_ID } from '../../src/export/devcontainer-template.js';
import { ensurePrefixImage } from '../../src/engine/prefix-image.js';
import { composeAvailable, dockerCompose, removeComposeProjects } from '../support/compose.js';
import { applyTemplate, devcontainer, outcomeOf } from '../support/devcontainer.js';
import { nonRootHostUser, type HostUser } from '../support/host-user.js';

const tier = inject('vppTier');
const compose = tier.run && composeAvailable('vpp');
/** Workspaces are vppkit-template-<path>-XXXXXX, so their compose projects start with this. */
const PROJECT_PREFIX = 'vppkit-template-';

// The Dev Container Template, tested as devcontainers/templates tests its templates: applied to an
// empty folder, brought up with the devcontainer CLI, its test.sh run inside. Its baseImage option is
// the VPP under test (packed from the prefix, as `vppkit build` packs it), which the template uses as is.
describe.skipIf(!compose)(`the ${TEMPLATE_ID} Dev Container Template, on a real VPP`, () => {
  const docker = engineClient();
  const workspaces: string[] = [];
  // The template's resources carry no vppkit labels; an earlier run that was killed would leave its
  // af_xdp network (fixed subnet) in the way of this one.
  /** The developer: not root (these machines run the tests as root, which proves nothing here). */
  let user: HostUser;
  beforeAll(async () => {
    user = nonRootHostUser('vktpl');
    await removeComposeProjects(docker, PROJECT_PREFIX);
  });
  /** The template's compose project down, as the devcontainer CLI named it. */
  const down = (workspace: string, path: string) => {
    const project = `${basename(workspace)}_devcontainer`.toLowerCase().replace(/[^a-z0-9_-]/g, '');
    dockerCompose(workspace, ['-p', project, '-f', `.devcontainer/compose.${path}.yaml`, 'down', '-v', '--rmi', 'local', '--timeout', '0']);
  };
  afterAll(async () => {
    for (const [workspace, path] of workspaces.map((w) => w.split('|') as [string, string])) {
      down(workspace, path);
      await rm(workspace, { recursive: true, force: true });
    }
    await removeComposeProjects(docker, PROJECT_PREFIX);
    // Last: userdel refuses a user whose processes (the dev container's) still run.
    user?.remove();
  });

  it.each(['memif', 'vcl', 'af_xdp', 'af_packet'])('path %s: applies, comes up, and its test.sh passes inside', async (path) => {
    const vppImage = (await ensurePrefixImage(docker, tier.prefix!)).tag;
    const workspace = await mkdtemp(join(tmpdir(), `vppkit-template-${path.replace('_', '-')}-`));
    workspaces.push(`${workspace}|${path}`);
    applyTemplate(TEMPLATE_ID, workspace, { path, baseImage: vppImage });
    user.own(workspace);

    const started = devcontainer(['up', '--workspace-folder', workspace], user);
    expect(outcomeOf(started.stdout), started.stderr.slice(-3000)).toMatchObject({ outcome: 'success' });
    const test = devcontainer(['exec', '--workspace-folder', workspace, 'sh', '-c', 'cd test-project && ./test.sh'], user);
    expect(test.status, `${test.stdout}${test.stderr}`).toBe(0);
    expect(test.stdout).not.toContain('FAIL');
    // Paths with a link network share the template's fixed subnet: one such copy at a time.
    down(workspace, path);
  });
});
