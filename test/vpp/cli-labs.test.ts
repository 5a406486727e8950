import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { escapeRegExp } from '../../src/paths/common.js';
import { LDP_RECV_DROPS_DONTWAIT } from '../../src/paths/vcl-ldpreload.js';
import { hasDefect, parseVppVersion } from '../../src/paths/vpp-version.js';
import { engineClient, labLeftovers, untagLabImages } from '../support/engine.js';
import { repoRoot, runBin } from '../support/run-bin.js';

const tier = inject('vppTier');

// `vppkit up`, `check` and `down` as a user runs them, on VPP built by hand (the prefix).
describe.skipIf(!tier.run)('labs through the CLI on a real VPP', () => {
  let dir: string;
  const id = Math.random().toString(16).slice(2, 8);
  const vppkit = (lab: string, args: string[]) => runBin('vppkit', args, { cwd: join(dir, lab), timeoutMs: 600_000 });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vppkit-labs-'));
  });
  afterAll(async () => {
    for (const lab of ['memif', 'ldp', 'socat']) vppkit(lab, ['down']);
    await rm(dir, { recursive: true, force: true });
    for (const name of [`m${id}`, `l${id}`, `s${id}`]) await untagLabImages(engineClient(), name);
  });

  const labelled = async (lab: string): Promise<number> => (await labLeftovers(engineClient(), lab)).length;

  /** <lab>/vppkit.yaml: one vcl-ldpreload app, built from `build`, running `command`, on the prefix under test. */
  const writePreloadLab = (lab: string, name: string, build: string, command: string) =>
    writeFile(
      join(dir, lab, 'vppkit.yaml'),
      [`name: ${name}`, 'vpp:', `  prefix: ${tier.prefix}`, 'apps:', '  - name: app', '    path: vcl-ldpreload', `    build: ${build}`, `    command: ${command}`, ''].join('\n'),
    );

  // A vcl app's lab has a second volume: VCL's libraries, which VPP copies for the apps.
  function upCheckDown(lab: string, name: string, expectations: { ready: RegExp; smoke: RegExp; volumes: number }, whileUp: () => void = () => undefined) {
    const up = vppkit(lab, ['up']);
    expect(up.stderr + up.stdout, 'vppkit up').toMatch(/ok apps ready/);
    expect(up.status, up.stderr).toBe(0);
    expect(up.stdout).toMatch(new RegExp(`^Lab ${name} is up: vpp \\(created\\), app \\(created\\)\\.`));
    expect(up.stdout).toMatch(expectations.ready);

    const check = vppkit(lab, ['check']);
    expect(check.status, check.stdout).toBe(0);
    expect(check.stdout).toMatch(expectations.smoke);
    whileUp();

    const down = vppkit(lab, ['down']);
    expect(down.status).toBe(0);
    expect(down.stdout).toBe(`lab ${name}: removed 2 containers, 0 networks, ${expectations.volumes} volumes\n`);
  }

  it('memif: the template app connects over memif, VPP pings it, and down leaves nothing', async () => {
    const name = `m${id}`;
    await mkdir(join(dir, 'memif'));
    await cp(join(repoRoot, 'templates/memif'), join(dir, 'memif/app'), { recursive: true });
    await writeFile(join(dir, 'memif/vppkit.yaml'), `name: ${name}\nvpp:\n  prefix: ${tier.prefix}\napps:\n  - name: app\n    path: memif\n    build: ./app\n`);
    upCheckDown('memif', name, { ready: /vppkit vppctl show interface/, smoke: /^ok {3}VPP pings app at 10\.\d+\.1\.2$/m, volumes: 1 }, () => {
      const version = vppkit('memif', ['vppctl', 'show', 'version']);
      expect(version).toMatchObject({ status: 0, stderr: '' });
      expect(version.stdout).toMatch(/^vpp v\d+\.\d+/);
      expect(vppkit('memif', ['vppctl', 'show', 'memif', 'memif0/0']).stdout).toMatch(/flags admin-up.*connected/);
      expect(vppkit('memif', ['exec', 'app', '--', 'sh', '-c', 'echo $VPPKIT_MEMIF_SOCKET; exit 4'])).toMatchObject({ status: 4, stdout: '/run/vpp/memif.sock\n' });
      expect(vppkit('memif', ['logs', 'app']).stdout).toMatch(/memif-echo: connected \(interrupt mode, 1 queue\)/);
      const status = JSON.parse(vppkit('memif', ['status', '--json']).stdout) as { node: string; state: string }[];
      expect(status.map((c) => [c.node, c.state])).toEqual([['vpp', 'running'], ['app', 'running']]);
      const again = JSON.parse(vppkit('memif', ['up', '--json']).stdout) as { ok: boolean; containers: { action: string }[] };
      expect(again.ok).toBe(true);
      expect(again.containers.map((c) => c.action)).toEqual(['unchanged', 'unchanged']);
    });
    expect(await labelled(name)).toBe(0);
  });

  it('vcl-ldpreload: an unmodified iperf3 attaches through LD_PRELOAD, listens in VPP, and down leaves nothing', async () => {
    const name = `l${id}`;
    await mkdir(join(dir, 'ldp/app'), { recursive: true });
    await writeFile(
      join(dir, 'ldp/app/Dockerfile'),
      'ARG VPPKIT_APP_DEV_IMAGE\nFROM ${VPPKIT_APP_DEV_IMAGE}\nRUN apt-get update && apt-get install -y --no-install-recommends iperf3 socat && rm -rf /var/lib/apt/lists/*\n',
    );
    // IPv4, not iperf3's default `::`: VPP's session layer has no dual-stack sockets.
    await writePreloadLab('ldp', name, './app', 'exec iperf3 -s -B ${VPPKIT_APP_ADDRESS%/*} -p $VPPKIT_APP_PORT');
    upCheckDown('ldp', name, { ready: /vppkit shell app/, smoke: /^ok {3}app listens on 10\.\d+\.1\.1:7000 in VPP's session layer$/m, volumes: 2 }, () => {
      const client = vppkit('ldp', ['exec', 'app', '--', 'sh', '-c', 'iperf3 -c ${VPPKIT_APP_ADDRESS%/*} -p $VPPKIT_APP_PORT -t 1']);
      expect(client.status, client.stderr).toBe(0);
      expect(client.stdout).toMatch(/receiver/);
    });
    expect(await labelled(name)).toBe(0);

    // down by name, when the lab file is gone
    expect(vppkit('ldp', ['up']).status).toBe(0);
    await rm(join(dir, 'ldp/vppkit.yaml'));
    expect(vppkit('ldp', ['down', '--name', name])).toMatchObject({ status: 0, stdout: `lab ${name}: removed 2 containers, 0 networks, 2 volumes\n` });
    expect(await labelled(name)).toBe(0);
  });

  it('vcl-ldpreload: socat, which VPP\'s LDP recv() defect stops, is either served or the defect is named by up and check', async () => {
    const name = `s${id}`;
    await mkdir(join(dir, 'socat'), { recursive: true });
    await writePreloadLab('socat', name, '../ldp/app', 'exec socat TCP-LISTEN:$VPPKIT_APP_PORT,bind=${VPPKIT_APP_ADDRESS%/*},reuseaddr,fork PIPE');
    const up = vppkit('socat', ['up']);
    expect(up.status, up.stderr).toBe(0);
    const version = parseVppVersion(vppkit('socat', ['vppctl', 'show', 'version']).stdout);
    expect(version).toBeDefined();
    const check = vppkit('socat', ['check']);
    if (hasDefect(version!, LDP_RECV_DROPS_DONTWAIT)) {
      const named = new RegExp(`^warning: VPP ${escapeRegExp(version!.text)} has a known defect that app may meet: LDP's recv\\(\\) drops MSG_DONTWAIT .*b09afccaeaf`, 'm');
      expect(up.stdout).toMatch(named);
      expect(check.status).toBe(1);
      expect(check.stdout).toMatch(/^FAIL app listens on /m);
      expect(check.stdout).toMatch(named);
    } else {
      expect(up.stdout).not.toMatch(/warning: /);
      expect(check.status, check.stdout).toBe(0);
      const echo = vppkit('socat', ['exec', 'app', '--', 'sh', '-c', 'echo hello-through-vpp | socat -t 3 - TCP:${VPPKIT_APP_ADDRESS%/*}:$VPPKIT_APP_PORT']);
      expect(echo.stdout).toBe('hello-through-vpp\n');
    }
    expect(vppkit('socat', ['down']).status).toBe(0);
    expect(await labelled(name)).toBe(0);
  });
});
