import { statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { composeAvailable, dockerCompose } from '../support/compose.js';
import { VPP_GROUP } from '../../src/paths/common.js';
import { devcontainer, linkThisVppkit, outcomeOf } from '../support/devcontainer.js';
import { engineClient, labLeftovers, untagLabImages } from '../support/engine.js';
import { nonRootHostUser, type HostUser } from '../support/host-user.js';
import { runBin, type BinResult } from '../support/run-bin.js';

const tier = inject('vppTier');
const compose = tier.run && composeAvailable('vpp');

/** `vppkit check` until it passes: the app was started by hand a moment ago. */
async function checkPasses(cwd: string, seconds = 30): Promise<BinResult> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const check = runBin('vppkit', ['check'], { cwd });
    if (check.status === 0 || Date.now() > deadline) return check;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

// The generated compose.yaml and dev container, on the VPP built by hand, the way a user runs them.
describe.skipIf(!compose)('a generated project through docker-compose and the dev container, on a real VPP', () => {
  const docker = engineClient();
  let work: string;
  const id = Math.random().toString(16).slice(2, 6);
  const made: string[] = [];
  /** The developer: not root (these machines run the tests as root, which proves nothing here). */
  let user: HostUser;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'vppkit-dev-e2e-'));
    user = nonRootHostUser('vkdev');
  });
  afterAll(async () => {
    for (const name of made) {
      runBin('vppkit', ['down'], { cwd: join(work, name) });
      await untagLabImages(docker, name);
    }
    await rm(work, { recursive: true, force: true });
    // Last: userdel refuses a user whose processes (the dev container's) still run.
    user?.remove();
  });

  function scaffold(flag: string, how: string): string {
    const name = `${how}${id}-${flag.replace(/^--/, '')}`;
    const created = runBin('create-vpp-app', [name, flag, '--vpp-prefix', tier.prefix!], { cwd: work });
    expect(created.status, created.stderr).toBe(0);
    made.push(name);
    return join(work, name);
  }

  it.each(['--memif', '--af-xdp', '--af-packet'])('%s: docker-compose up -d --build waits for VPP\'s health check, vppkit check passes, down -v leaves nothing', async (flag) => {
    const cwd = scaffold(flag, 'c');
    const name = cwd.split('/').pop()!;
    const built = runBin('vppkit', ['build'], { cwd, timeoutMs: 600_000 });
    expect(built.status, built.stderr).toBe(0);
    expect(built.stdout).toBe(`vpp      vppkit.invalid/${name}:vpp\napp-dev  vppkit.invalid/${name}:app-dev\n`);
    const started = dockerCompose(cwd, ['up', '-d', '--build']);
    expect(started.status, started.output).toBe(0);
    const status = runBin('vppkit', ['status'], { cwd });
    expect(status.stdout).toMatch(/vpp +vppkit-\S+_vpp +running +Up .*\(healthy\)/);
    const check = await checkPasses(cwd);
    expect(check.status, check.stdout).toBe(0);
    expect(check.stdout).toMatch(/^ok {3}VPP pings app at /m);
    const stopped = dockerCompose(cwd, ['down', '-v']);
    expect(stopped.status, stopped.output).toBe(0);
    expect(await labLeftovers(docker, name)).toEqual([]);
  });

  it.each([
    ['--memif', 'memif-echo', /^ok {3}VPP pings app at /m],
    ['--vcl', 'vcl-echo-server', /^ok {3}app's own check: \/bin\/sh -c vcl-echo-client$/m],
    // The dev container's own shells are not preloaded: the app is started the way its README says.
    ['--vcl-ldpreload', 'LD_PRELOAD=$VPPKIT_LD_PRELOAD echo-server', /^ok {3}app's own check: \/bin\/sh -c LD_PRELOAD=libvcl_ldpreload\.so echo-client -n 5$/m],
  ])('%s: as a non-root host user, the dev container builds the app as that user, reaches VPP through its group; started in it as its README says, the app passes its smoke check', async (flag, command, smoke) => {
    const cwd = scaffold(flag, 'd');
    linkThisVppkit(cwd);
    // The project is the developer's, as if they had made it.
    user.own(work);
    const started = devcontainer(['up', '--workspace-folder', cwd], user);
    expect(outcomeOf(started.stdout), started.stderr.slice(-3000)).toMatchObject({ outcome: 'success' });
    expect(started.stderr).toContain(`Installing: /usr/local/bin/${command.split(' ').pop()}`);

    // The dev container's user is the host user by number, in VPP's group, and vppctl works without root.
    const inside = devcontainer(['exec', '--workspace-folder', cwd, 'sh', '-c', 'id -u; id -g; id -G; stat -c %u /proc/1; vppctl -s /run/vpp/cli.sock show version; touch made-in-dev'], user);
    expect(inside.status, inside.stderr).toBe(0);
    const [uid, gid, groups, pid1, version] = inside.stdout.split('\n');
    // The shell and the container's own process (containerUser) alike.
    expect([uid, gid, pid1]).toEqual([String(user.uid), String(user.gid), String(user.uid)]);
    expect(groups!.split(' ')).toContain(String(VPP_GROUP.gid));
    expect(version).toMatch(/^vpp v\d/);
    // What it makes in the workspace is the host user's: the build and a file made in a shell.
    for (const path of ['made-in-dev', 'build', 'build/CMakeCache.txt']) {
      expect(statSync(join(cwd, path)), path).toMatchObject({ uid: user.uid, gid: user.gid });
    }

    const launched = devcontainer(['exec', '--workspace-folder', cwd, 'sh', '-c', `nohup sh -c '${command}' >/tmp/app.log 2>&1 &`], user);
    expect(launched.status, launched.stderr).toBe(0);
    const check = await checkPasses(cwd);
    const log = devcontainer(['exec', '--workspace-folder', cwd, 'cat', '/tmp/app.log'], user).stdout;
    expect(check.status, `${check.stdout}\napp log:\n${log}`).toBe(0);
    expect(check.stdout).toMatch(smoke);
  });
});
