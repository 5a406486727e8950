import { spawnSync } from 'node:child_process';
import { appendFile, cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { VPP_GROUP } from '../../src/paths/common.js';
import { engineClient, untagLabImages } from '../support/engine.js';
import { testPoolLine } from '../support/engine-lab.js';
import { repoRoot, runBin } from '../support/run-bin.js';

const tier = inject('vppTier');
/** A uid and gid no image has a user or group for: the apps' own images say USER with it, nothing else. */
const APP_UID = 4321;

const docker = (args: string[]) => spawnSync('docker', args, { encoding: 'utf8', timeout: 60_000 });

// Least privilege on a real VPP: the apps' images run as a non-root uid of their own (USER in their
// Dockerfiles), and reach VPP through its group alone, which the plan gives them by number.
describe.skipIf(!tier.run)('apps as a non-root user, with VPP\'s group only', () => {
  let dir: string;
  const id = Math.random().toString(16).slice(2, 8);
  /** Two labs: a test pool (a /22) holds three apps. */
  const shared = `nrs${id}`;
  const links = `nrl${id}`;
  const vppkit = (lab: string, args: string[]) => runBin('vppkit', args, { cwd: join(dir, lab), timeoutMs: 900_000 });

  async function writeLab(lab: string, apps: string[]): Promise<void> {
    await mkdir(join(dir, lab));
    // A pool of its own: lab files of other tests run on this engine meanwhile.
    await writeFile(join(dir, lab, 'vppkit.yaml'), [`name: ${lab}`, testPoolLine(lab), 'vpp:', `  prefix: ${tier.prefix}`, 'apps:', ...apps, ''].join('\n'));
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vppkit-non-root-'));
    for (const template of ['memif', 'vcl', 'sockets-echo']) {
      await cp(join(repoRoot, 'templates', template), join(dir, template), { recursive: true });
      await appendFile(join(dir, template, 'Dockerfile'), `USER ${APP_UID}:${APP_UID}\n`);
    }
    await writeLab(shared, [
      '  - { name: m, path: memif, build: ../memif }',
      '  - { name: v, path: vcl, build: ../vcl, check: vcl-echo-client }',
      // A memif master makes the socket; VPP, in the group but without root's override of file modes, connects only if it is group-writable.
      '  - { name: mm, path: memif, build: ../memif, memif: { role: master, socket: mm.sock }, command: [sh, -c, "umask 002 && exec memif-echo"] }',
    ]);
    await writeLab(links, [
      '  - { name: p, path: af_packet, build: ../sockets-echo }',
      '  - { name: x, path: af_xdp, build: ../sockets-echo }',
      '  - { name: l, path: vcl-ldpreload, build: ../sockets-echo, check: "LD_PRELOAD=libvcl_ldpreload.so echo-client -n 5" }',
    ]);
  });
  afterAll(async () => {
    for (const lab of [shared, links]) {
      vppkit(lab, ['down']);
      await untagLabImages(engineClient(), lab);
    }
    await rm(dir, { recursive: true, force: true });
  });

  it('apps that share /run/vpp: up and check pass as uid 4321; VPP\'s sockets are its group\'s, and only the group reaches them', () => {
    const up = vppkit(shared, ['up']);
    expect(up.status, up.stderr).toBe(0);
    const check = vppkit(shared, ['check']);
    expect(check.status, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toMatch(/^ok {3}VPP pings m at /m);
    expect(check.stdout).toMatch(/^ok {3}v's own check: \/bin\/sh -c vcl-echo-client$/m);
    expect(check.stdout).toMatch(/^ok {3}VPP pings mm at /m);

    // Each app's process is the image's uid, with the group as its only way to VPP.
    const gid = String(VPP_GROUP.gid);
    for (const app of ['m', 'v', 'mm']) {
      expect(vppkit(shared, ['exec', app, '--', 'stat', '-c', '%u', '/proc/1']).stdout.trim()).toBe(String(APP_UID));
      expect(vppkit(shared, ['exec', app, '--', 'id', '-G']).stdout.trim()).toBe(`${APP_UID} ${gid}`);
    }

    // What VPP made in /run/vpp: the group's, writable by it, nothing for others.
    const listing = vppkit(shared, ['exec', 'vpp', '--', 'sh', '-c', 'cd /run/vpp && stat -c "%n %A %u:%g" . cli.sock api.sock memif.sock app_ns_sockets/default mm.sock']);
    expect(listing.stdout).toBe(
      [
        `. drwxrws--- 0:${gid}`,
        `cli.sock srwxrwxr-x 0:${gid}`,
        `api.sock srwxrwxr-x 0:${gid}`,
        `memif.sock srwxrwxr-x 0:${gid}`,
        `app_ns_sockets/default srwxrwxr-x 0:${gid}`,
        // The master app's: its uid, the folder's group (set-group-ID), writable by the group (umask 002).
        `mm.sock srwxrwxr-x ${APP_UID}:${gid}`,
        '',
      ].join('\n'),
    );

    // vppctl as a non-root uid in a container of its own, given the group by number alone, and
    // without it. VPP's image has vppctl and no group 4242 (the app-dev image names it; this one not).
    const image = JSON.parse(docker(['inspect', '--format', '{{json .Config.Image}}', `vppkit-${shared}_vpp`]).stdout) as string;
    expect(docker(['run', '--rm', image, 'getent', 'group', gid]).status).toBe(2);
    const vppctlAs = (groupAdd: string[]) =>
      docker(['run', '--rm', '--user', `${APP_UID}:${APP_UID}`, ...groupAdd, '-v', `vppkit-${shared}_run:/run/vpp:nocopy`, image, 'vppctl', '-s', '/run/vpp/cli.sock', 'show', 'version']);
    const withGroup = vppctlAs(['--group-add', gid]);
    expect(withGroup.status, withGroup.stderr).toBe(0);
    expect(withGroup.stdout).toMatch(/^vpp v\d/);
    const without = vppctlAs([]);
    expect(without.status).not.toBe(0);
    expect(without.stdout + without.stderr).toMatch(/Permission denied/);
  });

  it('af_packet and af_xdp apps as uid 4321, with nothing of VPP\'s and no group; a vcl-ldpreload one beside them, with the group', () => {
    const up = vppkit(links, ['up']);
    expect(up.status, up.stderr).toBe(0);
    const check = vppkit(links, ['check']);
    expect(check.status, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toMatch(/^ok {3}VPP pings p at /m);
    expect(check.stdout).toMatch(/^ok {3}VPP pings x at /m);
    expect(check.stdout).toMatch(/^ok {3}l's own check: /m);
    for (const [app, groups] of [['p', `${APP_UID}`], ['x', `${APP_UID}`], ['l', `${APP_UID} ${VPP_GROUP.gid}`]] as const) {
      expect(vppkit(links, ['exec', app, '--', 'stat', '-c', '%u', '/proc/1']).stdout.trim()).toBe(String(APP_UID));
      expect(vppkit(links, ['exec', app, '--', 'id', '-G']).stdout.trim()).toBe(groups);
    }
  });
});
