import { describe, expect, it } from 'vitest';
import { PATH_NAMES, type PathName } from '../../src/lab/lab-model.js';
import { PLUGIN_STANZAS } from '../../src/lab/startup-stanzas.js';
import { VPP_GROUP } from '../../src/paths/common.js';
import { pathModule } from '../../src/paths/registry.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import { hintsFor } from '../../src/engine/run-check.js';
import type { Plan, PlannedContainer } from '../../src/plan/plan-types.js';
import { renderPlanText } from '../../src/plan/render-plan-text.js';
import { lab, yaml } from '../support/lab-fixtures.js';

const planFor = (path: PathName, extra: string[] = []): Plan => buildPlan(lab(yaml('name: demo', 'apps:', '  - name: app', `    path: ${path}`, ...extra)));
const vppOf = (plan: Plan): PlannedContainer => plan.containers.find((c) => c.role === 'vpp')!;
const appOf = (plan: Plan, name = 'app'): PlannedContainer => plan.containers.find((c) => c.node === name)!;
const values = (grants: { value: string }[]): string[] => grants.map((grant) => grant.value).sort();

describe.each(PATH_NAMES)('the %s path', (path) => {
  const plan = planFor(path);

  it('renders startup.conf, setup.cli and the plan as in its golden files', async () => {
    await expect(plan.vpp.startupConf).toMatchFileSnapshot(`./golden/${path}/startup.conf`);
    await expect(plan.vpp.setupCli).toMatchFileSnapshot(`./golden/${path}/setup.cli`);
    await expect(renderPlanText(plan, '/labs/demo')).toMatchFileSnapshot(`./golden/${path}/plan.txt`);
    const files = appOf(plan).files.map((file) => `# ${file.path}\n${file.content}`).join('\n');
    await expect(files || '(no files)\n').toMatchFileSnapshot(`./golden/${path}/app-files.txt`);
  });

  it('never renders a stanza for a plugin it does not load', () => {
    const stanzas = [...plan.vpp.startupConf.matchAll(/^([\w-]+) \{/gm)].map((match) => match[1]!);
    for (const stanza of stanzas) {
      const plugin = PLUGIN_STANZAS[stanza];
      if (plugin) expect(plan.vpp.plugins).toContain(plugin);
    }
    const enabled = [...plan.vpp.startupConf.matchAll(/plugin (\w+)_plugin\.so \{ enable \}/g)].map((match) => match[1]);
    expect(enabled).toEqual(plan.vpp.plugins);
    expect(plan.vpp.startupConf).toContain('plugin default { disable }');
  });

  it('restarts VPP when its process dies, guards the apps that cannot reattach, and carries the path\'s fact about VPP restarts', () => {
    expect(vppOf(plan).restart).toBe('on-failure');
    // Guarded (restarted when VPP started after it): the apps that cannot reattach and see VPP's run folder.
    const guarded = path === 'vcl' || path === 'vcl-ldpreload';
    expect(appOf(plan).restart).toBe(guarded ? 'on-failure' : 'no');
    expect(Boolean(appOf(plan).vppRestartGuard)).toBe(guarded);
    expect(vppOf(plan).files.find((file) => file.path.endsWith('vppkit-entry.sh'))?.content).toMatch(/< \/proc\/uptime; .*vppkit-vpp-started; vppctl .* exec /);
    expect(appOf(plan).afterVppRestart?.why.length).toBeGreaterThan(20);
    // Measured: memif, af_xdp and af_packet apps are wired again by themselves (tap: not measurable here).
    expect(appOf(plan).afterVppRestart?.rewiresItself).toBe(path === 'memif' || path === 'af_xdp' || path === 'af_packet');
  });

  it('runs nothing privileged and VPP without hugepages unless the lab says so', () => {
    for (const container of plan.containers) expect(container.privileged).toBe(false);
    expect(plan.vpp.startupConf).toMatch(/page-size 4K/);
    expect(vppOf(plan).mounts.map((mount) => mount.target)).not.toContain('/dev/hugepages');
  });

  it('gives every resource the lab\'s labels, and each container its node and config hash', () => {
    for (const container of plan.containers) {
      expect(container.labels).toMatchObject({ 'io.vppkit.managed': 'true', 'io.vppkit.lab': 'demo', 'io.vppkit.node': container.node });
      expect(container.labels['io.vppkit.config-hash']).toMatch(/^[0-9a-f]{16}$/);
    }
    for (const resource of [...plan.volumes, ...plan.networks]) expect(resource.labels).toMatchObject({ 'io.vppkit.lab': 'demo' });
  });

  it('starts VPP first and the app after it', () => {
    expect(plan.containers.map((c) => c.node)).toEqual(['vpp', 'app']);
    expect(appOf(plan).dependsOn).toEqual(['vpp']);
    expect(plan.vppReady[0]!.run).toEqual({ kind: 'vppctl', args: ['show', 'version'] });
    // VPP's side is checked before the app starts, the app's after: one of each per path at least.
    expect(plan.vppReady.filter((check) => check.about === 'app').length).toBeGreaterThan(0);
    expect(plan.appsReady.filter((check) => check.about === 'app').length).toBeGreaterThan(0);
  });

  it('explains every capability and device it grants', () => {
    for (const container of plan.containers) {
      for (const grant of [...container.capabilities, ...container.devices]) expect(grant.why.length).toBeGreaterThan(10);
    }
  });
});

// VPP's group: VPP makes its sockets the group's, and every app that shares them gets it by number.
describe('VPP\'s group, and non-root apps', () => {
  it.each(PATH_NAMES)('%s: VPP is root in the group, with no user set on the app; the app gets the group exactly when it shares /run/vpp', (path) => {
    const plan = planFor(path);
    expect(vppOf(plan).user?.value).toBe(`0:${VPP_GROUP.gid}`);
    expect(vppOf(plan).groups).toEqual([]);
    expect(plan.vpp.startupConf).toMatch(new RegExp(`^api-segment \\{\\n {2}gid ${VPP_GROUP.gid}\\n\\}$`, 'm'));
    // Not unix { gid }: VPP would look the gid up in its image's /etc/group and refuse to start without it.
    expect(plan.vpp.startupConf).not.toMatch(/^unix \{[^}]*\bgid\b/m);
    const entry = vppOf(plan).files.find((file) => file.path === '/etc/vpp/vppkit-entry.sh')!.content;
    expect(entry).toContain(`chgrp ${VPP_GROUP.gid} /run/vpp && chmod 2770 /run/vpp`);
    const app = appOf(plan);
    expect(app.user).toBeUndefined();
    const sharesRun = app.mounts.some((mount) => mount.target === '/run/vpp');
    expect(values(app.groups)).toEqual(sharesRun ? [String(VPP_GROUP.gid)] : []);
    expect(app.nonRoot).toEqual(pathModule(app.path!).nonRoot);
    expect(app.nonRoot?.works).toBe(true);
    expect(renderPlanText(plan, '/labs/demo')).toContain(`  non-root      works: ${app.nonRoot!.why}`);
  });
});

// What each path needs, and nothing more: the table in the README says the same (readme-table.test.ts).
describe('least privilege', () => {
  it('memif: the app needs only the shared /run/vpp volume; VPP only its base capabilities', () => {
    const plan = planFor('memif');
    expect(values(vppOf(plan).capabilities)).toEqual(['IPC_LOCK', 'SYS_NICE']);
    expect(vppOf(plan).devices).toEqual([]);
    expect(appOf(plan)).toMatchObject({ capabilities: [], devices: [], networkMode: { kind: 'bridge' }, networks: [] });
    expect(appOf(plan).mounts).toEqual([{ type: 'volume', source: 'vppkit-demo_run', target: '/run/vpp' }]);
  });

  it('tap: VPP gets NET_ADMIN, /dev/net/tun and /dev/vhost-net; the app joins VPP\'s network namespace and nothing else', () => {
    const plan = planFor('tap');
    expect(values(vppOf(plan).capabilities)).toEqual(['IPC_LOCK', 'NET_ADMIN', 'SYS_NICE']);
    expect(values(vppOf(plan).devices)).toEqual(['/dev/net/tun', '/dev/vhost-net']);
    expect(appOf(plan)).toMatchObject({ capabilities: [], devices: [], mounts: [], networkMode: { kind: 'container', node: 'vpp' } });
    expect(appOf(plan).hostname).toBeUndefined();
  });

  it('af_packet: VPP gets NET_RAW (and IPC_LOCK, for its rings) and a network shared with the app; the app gets no rights', () => {
    const plan = planFor('af_packet');
    expect(values(vppOf(plan).capabilities)).toEqual(['IPC_LOCK', 'NET_RAW', 'SYS_NICE']);
    expect(vppOf(plan).capabilities.find((grant) => grant.value === 'IPC_LOCK')!.why).toMatch(/AF_PACKET socket's rings/);
    expect(vppOf(plan).onlyPlannedCapabilities).toBe(true);
    expect(plan.networks.map((network) => network.name)).toEqual(['vppkit-demo_vpp_net', 'vppkit-demo_app_pkt']);
    expect(values(appOf(plan).capabilities)).toEqual([]);
    expect(plan.vpp.setupCli).toMatch(/^create host-interface name @PKT_0@$/m);
  });

  it('af_xdp: VPP gets NET_ADMIN, SYS_ADMIN and NET_RAW and a network shared with the app; the app gets no rights', () => {
    const plan = planFor('af_xdp');
    expect(values(vppOf(plan).capabilities)).toEqual(['IPC_LOCK', 'NET_ADMIN', 'NET_RAW', 'SYS_ADMIN', 'SYS_NICE']);
    expect(vppOf(plan).devices).toEqual([]);
    // VPP's own egress first (its primary network: XDP takes every frame on the link), then the link.
    expect(plan.networks.map((network) => network.name)).toEqual(['vppkit-demo_vpp_net', 'vppkit-demo_app_xdp']);
    expect(plan.networks[0]!.subnet).toBeUndefined();
    expect(plan.networks[1]!.subnet).toMatch(/^10\.\d+\.1\.0\/24$/);
    expect(vppOf(plan).networkMode).toEqual({ kind: 'networks' });
    expect(vppOf(plan).networks).toEqual([{ network: 'vppkit-demo_vpp_net' }, { network: 'vppkit-demo_app_xdp', ipv4: expect.stringMatching(/\.253$/) }]);
    expect(appOf(plan)).toMatchObject({ capabilities: [], devices: [], mounts: [] });
    expect(appOf(plan).networks).toEqual([{ network: 'vppkit-demo_app_xdp', ipv4: expect.stringMatching(/\.2$/) }]);
  });

  it.each(['vcl', 'vcl-ldpreload'] as const)('%s: the app needs the /run/vpp volume, VCL\'s libraries read-only and its vcl.conf', (path) => {
    const plan = planFor(path);
    expect(values(vppOf(plan).capabilities)).toEqual(['IPC_LOCK', 'SYS_NICE']);
    expect(appOf(plan)).toMatchObject({ capabilities: [], devices: [], networkMode: { kind: 'bridge' } });
    expect(appOf(plan).mounts).toEqual([
      { type: 'volume', source: 'vppkit-demo_run', target: '/run/vpp' },
      { type: 'volume', source: 'vppkit-demo_vpp_vcl-lib', target: '/opt/vppkit/vcl', readOnly: true },
    ]);
    expect(appOf(plan).env).toMatchObject({ VCL_CONFIG: '/etc/vpp/vcl.conf', LD_LIBRARY_PATH: '/opt/vppkit/vcl' });
    expect(appOf(plan).imageNeeds).toEqual([expect.objectContaining({ kind: 'loads-libraries', dir: '/opt/vppkit/vcl' })]);
    expect(plan.vpp.startupConf).toMatch(/session \{\n {2}enable\n\}/);
  });

  it.each(['vcl', 'vcl-ldpreload'] as const)('%s: VPP fills the libraries\' volume from its own image before it starts', (path) => {
    const plan = planFor(path);
    expect(plan.volumes.map((volume) => volume.name)).toEqual(['vppkit-demo_run', 'vppkit-demo_vpp_vcl-lib']);
    expect(vppOf(plan).mounts).toContainEqual({ type: 'volume', source: 'vppkit-demo_vpp_vcl-lib', target: '/opt/vppkit/vcl' });
    const entry = vppOf(plan).files.find((file) => file.path === '/etc/vpp/vppkit-entry.sh')!.content;
    expect(entry.indexOf('libvcl_ldpreload')).toBeLessThan(entry.indexOf('exec vpp'));
  });

  it('two vcl apps share one libraries volume, filled once', () => {
    const plan = buildPlan(lab(yaml('name: demo', 'apps: [{ name: a, path: vcl }, { name: b, path: vcl-ldpreload }]')));
    expect(plan.volumes).toHaveLength(2);
    const entry = vppOf(plan).files.find((file) => file.path === '/etc/vpp/vppkit-entry.sh')!.content;
    expect(entry.match(/vcl_lib=/g)).toHaveLength(1);
  });

  it('vcl-ldpreload preloads the VCL library by absolute path, from the volume VPP fills', () => {
    expect(appOf(planFor('vcl-ldpreload')).env).toMatchObject({ LD_PRELOAD: '/opt/vppkit/vcl/libvcl_ldpreload.so', LDP_APP_NAME: 'app' });
    expect(appOf(planFor('vcl-ldpreload')).processOnlyEnv).toEqual(['LD_PRELOAD']);
    expect(appOf(planFor('vcl')).env.LD_PRELOAD).toBeUndefined();
  });

  it.each(['memif', 'tap', 'af_xdp', 'af_packet'] as const)('%s: nothing of VCL\'s (no libraries volume, no image needs)', (path) => {
    const plan = planFor(path);
    expect(plan.volumes).toHaveLength(1);
    expect(appOf(plan).imageNeeds).toBeUndefined();
  });

  it('privileged only where the lab asks for it', () => {
    const plan = buildPlan(lab(yaml('name: demo', 'vpp: { privileged: true }', 'apps: [{ name: app, path: memif, privileged: true }]')));
    expect(plan.containers.map((c) => c.privileged)).toEqual([true, true]);
  });
});

describe('hugepages', () => {
  it('are off by default: 4K buffer pages and no host mount', () => {
    const plan = planFor('memif');
    expect(plan.vpp.startupConf).not.toMatch(/memory \{/);
    expect(vppOf(plan).mounts).toHaveLength(1);
  });

  it.each([
    ['true', '256M'],
    ['"1G"', '1G'],
  ])('hugepages: %s mounts the host hugetlbfs and puts the heap (%s) and buffers on it', (value, size) => {
    const plan = buildPlan(lab(yaml('name: demo', `vpp: { hugepages: ${value} }`, 'apps: [{ name: app, path: memif }]')));
    expect(vppOf(plan).mounts).toContainEqual(expect.objectContaining({ type: 'bind', source: '/dev/hugepages', target: '/dev/hugepages' }));
    expect(plan.vpp.startupConf).toContain(`memory {\n  main-heap-size ${size}\n  main-heap-page-size default-hugepage\n}`);
    expect(plan.vpp.startupConf).toContain('page-size default-hugepage');
    // Hugepages add a mount, never a capability: IPC_LOCK is already there.
    expect(values(vppOf(plan).capabilities)).toEqual(['IPC_LOCK', 'SYS_NICE']);
  });
});

describe('VPP configuration from the lab', () => {
  it('appends extra stanza bodies, loads extra plugins and runs extra CLI after the paths\' own', () => {
    const plan = buildPlan(
      lab(
        yaml(
          'name: demo',
          'vpp:',
          '  workers: 2',
          '  plugins: [dpdk]',
          '  startup:',
          '    unix: "gid vpp"',
          '    dpdk: |',
          '      no-pci',
          '    statseg: "size 64M"',
          '  cli: ["set logging class memif level debug"]',
          'apps: [{ name: app, path: memif }]',
        ),
      ),
    );
    expect(plan.vpp.startupConf).toContain('unix {\n  nodaemon\n  cli-listen /run/vpp/cli.sock\n  log /tmp/vpp.log\n  gid vpp\n}');
    expect(plan.vpp.startupConf).toContain('cpu {\n  workers 2\n}');
    expect(plan.vpp.startupConf).toMatch(/plugin dpdk_plugin\.so \{ enable \}/);
    expect(plan.vpp.startupConf.indexOf('dpdk {')).toBeLessThan(plan.vpp.startupConf.indexOf('statseg {'));
    expect(plan.vpp.setupCli.trimEnd().split('\n').at(-1)).toBe('set logging class memif level debug');
  });

  it('numbers memif sockets in order of first use, creating each once', () => {
    const plan = buildPlan(
      lab(
        yaml(
          'name: demo',
          'apps:',
          '  - { name: a, path: memif, memif: { socket: fast.sock } }',
          '  - { name: b, path: memif }',
          '  - { name: c, path: memif, memif: { socket: fast.sock, mode: ip, secret: s3cret, queues: 2 } }',
        ),
      ),
    );
    const cli = plan.vpp.setupCli;
    expect(cli.match(/create memif socket/g)).toHaveLength(1);
    expect(cli).toContain('create memif socket id 1 filename /run/vpp/fast.sock\n');
    expect(cli).toMatch(/^create interface memif id 0 socket-id 1 master ring-size 1024 buffer-size 2048 hw-addr 02:56:50(:[0-9a-f]{2}){3} rx-queues 1 tx-queues 1$/m);
    expect(cli).toContain('create interface memif id 1 socket-id 0 master');
    expect(cli).toContain('create interface memif id 2 socket-id 1 master ring-size 1024 buffer-size 2048 rx-queues 2 tx-queues 2 mode ip secret s3cret\n');
  });

  it('makes VPP the slave when the app is memif master', () => {
    const plan = buildPlan(lab(yaml('name: demo', 'apps: [{ name: a, path: memif, memif: { role: master, socket: a.sock } }]')));
    expect(plan.vpp.setupCli).toMatch(/create interface memif id 0 socket-id 1 slave /);
    expect(appOf(plan, 'a').env.VPPKIT_MEMIF_ROLE).toBe('master');
  });

  it('adds a VCL namespace once, however many apps share it, with a secret stable across runs', () => {
    const source = yaml(
      'name: demo',
      'apps:',
      '  - { name: server, path: vcl, vcl: { namespace-id: blue } }',
      '  - { name: client, path: vcl-ldpreload, vcl: { namespace-id: blue } }',
    );
    const plan = buildPlan(lab(source));
    expect(plan.vpp.setupCli.match(/app ns add id blue secret \d+ if loop0\n/g)).toHaveLength(1);
    expect(buildPlan(lab(source)).vpp.setupCli).toBe(plan.vpp.setupCli);
    expect(appOf(plan, 'client').files[0]!.content).toContain('app-socket-api /run/vpp/app_ns_sockets/blue');
    expect(plan.vpp.startupConf.match(/session \{/g)).toHaveLength(1);
  });

  it('resolves the AF_XDP interface inside VPP\'s container by the address the plan gave it', () => {
    const plan = planFor('af_xdp');
    const vpp = vppOf(plan);
    const entry = vpp.files.find((file) => file.path === '/etc/vpp/vppkit-entry.sh')!;
    const kernelAddress = vpp.networks.find((network) => network.ipv4)!.ipv4;
    expect(vpp.command).toEqual(['/bin/sh', '/etc/vpp/vppkit-entry.sh']);
    expect(entry.mode).toBe(0o755);
    expect(entry.content).toContain(`XDP_0=$(ifname_with ${kernelAddress})`);
    expect(plan.vpp.setupCli).toMatch(/^create interface af_xdp host-if @XDP_0@ name xdp-app num-rx-queues 1 no-zero-copy$/m);
    expect(entry.content).toContain('vppctl -s /run/vpp/cli.sock exec /etc/vpp/setup.resolved.cli) &');
  });

  it('starts every VPP with the entry script: VPP stays PID 1, and the lab\'s CLI is applied once the CLI answers', () => {
    for (const path of ['memif', 'vcl'] as const) {
      const vpp = vppOf(planFor(path));
      const entry = vpp.files.find((file) => file.path === '/etc/vpp/vppkit-entry.sh')!;
      expect(vpp.command).toEqual(['/bin/sh', '/etc/vpp/vppkit-entry.sh']);
      // Between the two: VPP records this start for the apps' guards (see vpp-restart-guard).
      expect(entry.content).toMatch(/^\(until vppctl -s \/run\/vpp\/cli.sock show version >\/dev\/null 2>&1; do sleep 0.05; done; .*; vppctl -s \/run\/vpp\/cli.sock exec \/etc\/vpp\/setup.cli\) &\nexec vpp -c \/etc\/vpp\/startup.conf\n$/m);
      // VPP's own startup exec waits two seconds first; the entry script's is the only one.
      expect(planFor(path).vpp.startupConf).not.toMatch(/^\s*exec /m);
    }
  });

  it('runs an app\'s own check instead of the path\'s smoke check', () => {
    const plan = buildPlan(lab(yaml('name: demo', 'apps: [{ name: app, path: vcl, check: "echo-client 10.0.0.1 7000" }]')));
    expect(plan.smoke).toEqual([
      expect.objectContaining({ node: 'app', run: { kind: 'exec', cmd: ['/bin/sh', '-c', 'echo-client 10.0.0.1 7000'] } }),
    ]);
  });
});

describe('a changed app changes only its own config hash', () => {
  it('keeps VPP\'s hash when an app\'s env changes, and changes the app\'s', () => {
    const before = buildPlan(lab(yaml('name: demo', 'apps: [{ name: app, path: memif, env: { MODE: a } }]')));
    const after = buildPlan(lab(yaml('name: demo', 'apps: [{ name: app, path: memif, env: { MODE: b } }]')));
    const hashOf = (plan: Plan, node: string) => plan.containers.find((c) => c.node === node)!.labels['io.vppkit.config-hash'];
    expect(hashOf(after, 'vpp')).toBe(hashOf(before, 'vpp'));
    expect(hashOf(after, 'app')).not.toBe(hashOf(before, 'app'));
    expect(after.configHash).not.toBe(before.configHash);
  });
});

describe('the lab\'s own startup stanzas', () => {
  it('go in exactly as written, nested blocks and repeated lines included', () => {
    const plan = buildPlan(
      lab(
        yaml(
          'name: demo',
          'vpp:',
          '  plugins: [dpdk]',
          '  startup:',
          '    dpdk: |',
          '      dev 0000:00:08.0 {',
          '        num-rx-queues 2',
          '      }',
          '      dev 0000:00:09.0 {',
          '        num-rx-queues 2',
          '      }',
          'apps: [{ name: app, path: memif }]',
        ),
      ),
    );
    expect(plan.vpp.startupConf).toContain(
      'dpdk {\n  dev 0000:00:08.0 {\n  num-rx-queues 2\n  }\n  dev 0000:00:09.0 {\n  num-rx-queues 2\n  }\n}',
    );
  });
});

describe('readiness patterns match whole names only', () => {
  const plan = buildPlan(
    lab(yaml('name: demo', 'apps:', '  - { name: a, path: vcl, port: 700, vcl: { namespace-id: blue } }', '  - { name: a-b, path: vcl-ldpreload }')),
  );
  const pattern = (description: RegExp) => new RegExp([...plan.vppReady, ...plan.appsReady, ...plan.smoke].find((c) => description.test(c.description))!.expect!, 'm');

  it('app "a" is not taken for app "a-b-ldp-7"', () => {
    const attached = pattern(/^a is attached/);
    expect(attached.test('Index     Name   Namespace\n1         a-b-ldp-7   default')).toBe(false);
    expect(attached.test('Index     Name   Namespace\n1         a   default')).toBe(true);
    expect(pattern(/^a-b is attached/).test('2         a-b-ldp-7   default')).toBe(true);
  });

  it('namespace "blue" is not taken for "blue-2", nor port 700 for 7000', () => {
    expect(pattern(/namespace blue/).test('2   blue-2   1234')).toBe(false);
    expect(pattern(/namespace blue/).test('1   blue   1234')).toBe(true);
    const listening = pattern(/^a listens/);
    expect(listening.test(`[0:0][T] ${plan.containers[1]!.env.VPPKIT_APP_ADDRESS!.split('/')[0]}:7000->0.0.0.0:0   LISTEN`)).toBe(false);
    expect(listening.test(`[0:0][T] ${plan.containers[1]!.env.VPPKIT_APP_ADDRESS!.split('/')[0]}:700->0.0.0.0:0   LISTEN`)).toBe(true);
  });
});

describe('the vcl paths\' smoke check', () => {
  const check = planFor('vcl-ldpreload', ['    port: 80']).smoke[0]!;
  const table = (...rows: string[]) => ['Connection   State   Rx-f   Tx-f', ...rows, 'Thread 0: active sessions 1'].join('\n');
  const passes = (output: string) => new RegExp(check.expect!, 'm').test(output);

  it('passes on a listener on the app\'s address or the wildcard, on its port only', () => {
    expect(passes(table('[0:0][T] 10.114.1.1:80->0.0.0.0:0   LISTEN   0   0'))).toBe(true);
    expect(passes(table('[0:1][CT:T] 0.0.0.0:80->0.0.0.0:0   LISTEN   0   0'))).toBe(true);
    expect(passes(table('[0:1][T] 0.0.0.0:8080->0.0.0.0:0   LISTEN   0   0'))).toBe(false);
  });

  it('names a listener on [::] only (no dual-stack sockets in VPP) and the fix', () => {
    const output = table('[0:2][CT:T] :::80->:::0   LISTEN   0   0', '[0:3][T] :::80->:::0   LISTEN   0   0');
    expect(passes(output)).toBe(false);
    expect(hintsFor(check, output)).toEqual([expect.stringMatching(/^app listens on \[::\]:80 only: VPP's session layer has no dual-stack sockets.*Fix: make it listen on 0\.0\.0\.0:80/)]);
  });

  it('says what to do when nothing listens on the port (a client, or another port)', () => {
    expect(hintsFor(check, table('[0:1][T] 0.0.0.0:8080->0.0.0.0:0   LISTEN   0   0'))).toEqual([expect.stringMatching(/^nothing listens on port 80 .*give it a `check:`/)]);
  });
});

describe('a memif app that does not redial VPP (DPDK\'s net_memif)', () => {
  it('is guarded and restarted after VPP restarts, as the vcl apps are; a master or a redialling slave is left alone', () => {
    const app = (extra: string) => appOf(planFor('memif', [`    memif: { ${extra} }`]));
    expect(app('redials: false')).toMatchObject({ restart: 'on-failure', afterVppRestart: { rewiresItself: false }, vppRestartGuard: expect.anything() });
    expect(app('redials: false, role: master')).toMatchObject({ restart: 'no', afterVppRestart: { rewiresItself: true } });
    expect(app('redials: true')).toMatchObject({ restart: 'no', afterVppRestart: { rewiresItself: true } });
  });
});

describe('two vcl apps on one port', () => {
  it('count only each app\'s own address: a wildcard listener could be the other\'s', () => {
    const plan = buildPlan(lab(yaml('name: demo', 'apps: [{ name: a, path: vcl-ldpreload }, { name: b, path: vcl-ldpreload }]')));
    const [a] = plan.smoke;
    expect(new RegExp(a!.expect!, 'm').test('[0:1][T] 0.0.0.0:7000->0.0.0.0:0   LISTEN')).toBe(false);
    expect(new RegExp(planFor('vcl-ldpreload').smoke[0]!.expect!, 'm').test('[0:1][T] 0.0.0.0:7000->0.0.0.0:0   LISTEN')).toBe(true);
  });
});
