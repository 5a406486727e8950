import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { resolveBaseImage } from '../../src/config/defaults.js';
import { buildImage } from '../../src/engine/build-image.js';
import { containerLogs } from '../../src/engine/container-logs.js';
import { execIn } from '../../src/engine/exec.js';
import { waitForChecks } from '../../src/engine/run-check.js';
import { pollUntil } from '../../src/util/poll.js';
import { createPlannedContainer } from '../../src/engine/planned-resources.js';
import { packContext } from '../../src/images/build-context.js';
import { ensurePrefixImage } from '../../src/engine/prefix-image.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import type { Plan } from '../../src/plan/plan-types.js';
import { testRun } from '../support/engine.js';
import { testPoolLine } from '../support/engine-lab.js';
import { lab, yaml } from '../support/lab-fixtures.js';
import { bootPlannedVpp, labelledForTest, vppctlUntil } from '../support/vpp-lab.js';

const tier = inject('vppTier');
const vhostNet = existsSync('/dev/vhost-net');
if (tier.run && !vhostNet) {
  console.log('[vpp tier] tap skipped: this host has no /dev/vhost-net, and VPP\'s TAP v2 has no fallback without it');
}

// Each path's rendered startup.conf and setup.cli, booted on the real VPP exactly as planned
// (capabilities, mounts, networks, files), and what VPP then says about it.
describe.skipIf(!tier.run)('each path\'s VPP configuration on a real VPP', () => {
  const run = testRun();
  let vppImage: string;
  const planOf = (path: string, extra: string[] = [], suffix = ''): Plan =>
    labelledForTest(buildPlan(lab(yaml(`name: ${labName(path, suffix)}`, testPoolLine(labName(path, suffix)), 'apps:', '  - name: app', `    path: ${path}`, ...extra))), run.labels);
  // Each lab's link network stays until the file's cleanup, beside other files' labs: a /22 of its own
  // each, where default pools (one /16 of a hundred) would collide now and then.
  const labName = (path: string, suffix: string): string => `t${run.id}-${path.replace('_', '-')}${suffix}`;

  beforeAll(async () => {
    const image = await ensurePrefixImage(run.docker, tier.prefix!);
    if (image.missing.size) console.warn(`[vpp tier] libraries the prefix needs that this host lacks: ${[...image.missing.keys()].join(', ')}`);
    vppImage = image.tag;
  });
  afterAll(() => run.cleanup());

  it('memif: VPP boots with only memif and ping loaded, and the memif interface is up with its address', async () => {
    const plan = planOf('memif', ['    memif: { ring-size: 2048, buffer-size: 4096 }']);
    const vpp = await bootPlannedVpp(run.docker, plan, vppImage);
    const app = plan.containers[1]!;
    const memif = await vppctlUntil(vpp, ['show', 'memif', 'memif0/0'], /flags admin-up/);
    expect(memif).toMatch(/socket-id 0 id 0 mode ethernet/);
    expect(memif).toMatch(/flags admin-up/);
    expect((await vpp.vppctl('show', 'memif')).stdout).toMatch(/0\s+yes \(\d+\)\s+\/run\/vpp\/memif\.sock/);
    const addresses = (await vpp.vppctl('show', 'interface', 'address')).stdout;
    expect(addresses).toContain(`L3 ${app.env.VPPKIT_VPP_ADDRESS}`);
    const plugins = (await vpp.vppctl('show', 'plugins')).stdout;
    expect([...plugins.matchAll(/(\w+)_plugin\.so/g)].map((m) => m[1]).sort()).toEqual(plan.vpp.plugins);
  });

  it('vcl: the session layer is on, and VPP hosts the app\'s address and its namespace', async () => {
    const plan = planOf('vcl', ['    vcl: { namespace-id: blue }']);
    const vpp = await bootPlannedVpp(run.docker, plan, vppImage);
    const address = plan.containers[1]!.env.VPPKIT_APP_ADDRESS!;
    expect((await vppctlUntil(vpp, ['show', 'interface', 'address'], /loop0/))).toContain(`L3 ${address}`);
    expect((await vpp.vppctl('show', 'session')).exitCode).toBe(0);
    expect((await vpp.vppctl('show', 'app', 'ns')).stdout).toMatch(/\bblue\b/);
    const sockets = await execIn(run.docker, vpp.id, ['ls', '/run/vpp/app_ns_sockets']);
    expect(sockets.stdout.split('\n')).toEqual(expect.arrayContaining(['default', 'blue']));
  });

  it('vcl-ldpreload: an unmodified iperf3, preloaded as planned, moves data through VPP\'s session layer', async () => {
    const plan = planOf('vcl-ldpreload');
    const vpp = await bootPlannedVpp(run.docker, plan, vppImage);
    const appPlan = plan.containers[1]!;
    const ip = appPlan.env.VPPKIT_APP_ADDRESS!.split('/')[0]!;
    const port = appPlan.env.VPPKIT_APP_PORT!;
    const appImage = await iperf3Image(vppImage);
    const app = await createPlannedContainer(
      run.docker,
      // On the app's own IPv4 address: VPP's session layer has no dual-stack sockets, so iperf3's
      // default listener on :: would never see an IPv4 client.
      { ...appPlan, command: ['iperf3', '-s', '-B', ip, '-p', port] },
      { image: appImage, containerIds: vpp.ids },
    );
    await app.start();
    const ids = new Map([...vpp.ids, ['app', app.id]]);
    // The plan's own app readiness (attached to the session layer) and smoke check (listening) pass.
    try {
      await waitForChecks(run.docker, [...plan.appsReady, ...plan.smoke], ids, 30_000);
    } catch (error) {
      const logs = await containerLogs(run.docker, app.id, 40);
      const state = (await app.inspect()).State;
      throw new Error(`${(error as Error).message}\napp ${state.Status} (exit ${state.ExitCode}); its last log lines:\n${logs}`);
    }
    expect(await vppctlUntil(vpp, ['show', 'app'], /\bapp-ldp-\d+/)).toMatch(/app-ldp-\d+/);
    // The client runs in the app's container, so it has the planned LD_PRELOAD and VCL_CONFIG too.
    const client = await execIn(run.docker, app.id, ['iperf3', '-c', ip, '-p', port, '-t', '1', '-J']);
    expect(client.exitCode, client.stdout + client.stderr).toBe(0);
    const received = (JSON.parse(client.stdout) as { end: { sum_received: { bytes: number } } }).end.sum_received.bytes;
    expect(received).toBeGreaterThan(1_000_000);
    // Both ends were VPP's sessions: the server's listener and the client's connection in its app.
    expect((await vpp.vppctl('show', 'app', 'server')).stdout).toMatch(/app-ldp-\d+/);
  });

  it('af_xdp: the entry script finds VPP\'s interface on the lab network, and VPP drives it with AF_XDP', async () => {
    const plan = planOf('af_xdp');
    const vpp = await bootPlannedVpp(run.docker, plan, vppImage);
    const address = plan.containers[1]!.env.VPPKIT_VPP_ADDRESS!;
    const shown = await vppctlUntil(vpp, ['show', 'interface', 'xdp-app'], /xdp-app\s+\d+\s+up/);
    expect(shown).toMatch(/xdp-app\s+\d+\s+up/);
    expect((await vpp.vppctl('show', 'interface', 'address')).stdout).toContain(`L3 ${address}`);
    // af_xdp's device format names the Linux interface it drives: the one the entry script resolved.
    const hardware = (await vpp.vppctl('show', 'hardware-interfaces', 'xdp-app')).stdout;
    const kernel = await execIn(run.docker, vpp.id, ['sh', '-c', `ip -o -4 addr show | awk '$4 ~ /^${plan.containers[0]!.networks.find((network) => network.ipv4)!.ipv4!.replaceAll('.', '\\.')}\\// { print $2 }'`]);
    expect(kernel.stdout.trim()).toMatch(/^eth\d+$/);
    expect(hardware).toContain(`netdev ${kernel.stdout.trim()}`);
    expect(hardware).not.toMatch(/\berror\b/);

    // The app: a plain container with no rights on the same network. The plan's own smoke check must pass.
    const app = await createPlannedContainer(
      run.docker,
      { ...plan.containers[1]!, command: ['sleep', 'infinity'] },
      { image: resolveBaseImage(), containerIds: vpp.ids },
    );
    await app.start();
    const ids = new Map([...vpp.ids, ['app', app.id]]);
    await waitForChecks(run.docker, plan.appsReady, ids, 30_000);
    const [ping] = await waitForChecks(run.docker, plan.smoke, ids, 20_000);
    expect(ping).toMatch(/Statistics: 3 sent, [1-3] received/);
  });

  it('af_packet: VPP drives its end of the link through an AF_PACKET socket, and pings the app', async () => {
    const plan = planOf('af_packet');
    const vpp = await bootPlannedVpp(run.docker, plan, vppImage);
    const shown = await vppctlUntil(vpp, ['show', 'interface'], /host-eth\d+\s+\d+\s+up/);
    const ifname = /(host-eth\d+)\s+\d+\s+up/.exec(shown)![1]!;
    expect((await vpp.vppctl('show', 'hardware-interfaces', ifname)).stdout).toMatch(/Linux PACKET socket interface/);
    const app = await createPlannedContainer(run.docker, { ...plan.containers[1]!, command: ['sleep', 'infinity'] }, { image: resolveBaseImage(), containerIds: vpp.ids });
    await app.start();
    const ids = new Map([...vpp.ids, ['app', app.id]]);
    await waitForChecks(run.docker, plan.appsReady, ids, 30_000);
    const [ping] = await waitForChecks(run.docker, plan.smoke, ids, 20_000);
    expect(ping).toMatch(/Statistics: 3 sent, [1-3] received/);
  });

  // VPP runs with exactly the planned capabilities (none of the engine's defaults): each one af_packet
  // is granted, taken away, and the link no longer comes up, for the reason VPP logs.
  it.each([
    ['NET_RAW', /Failed to create AF_PACKET socket: Operation not permitted/],
    ['IPC_LOCK', /mmap failure/],
  ])('af_packet: without %s, VPP cannot open its end of the link', async (capability, logged) => {
    const planned = planOf('af_packet', [], `-no-${capability.toLowerCase().replace('_', '-')}`);
    const plan = { ...planned, containers: planned.containers.map((c) => (c.role === 'vpp' ? { ...c, capabilities: c.capabilities.filter((g) => g.value !== capability) } : c)) };
    expect(planned.containers[0]!.capabilities.map((g) => g.value)).toContain(capability);
    const vpp = await bootPlannedVppAnswering(plan);
    const address = plan.containers[1]!.env.VPPKIT_VPP_ADDRESS!;
    // The CLI file has run once VPP's output (its syslog lines) says why the interface failed; it never gets its address.
    const log = await pollUntil(
      'VPP logs the failed host-interface',
      async () => {
        const output = await containerLogs(run.docker, vpp, 200);
        return logged.test(output) ? { done: true, value: output } : { done: false, last: output.slice(-500) };
      },
      { timeoutMs: 30_000 },
    );
    expect(log).toMatch(logged);
    expect((await execIn(run.docker, vpp, ['vppctl', '-s', '/run/vpp/cli.sock', 'show', 'interface', 'address'])).stdout).not.toContain(`L3 ${address}`);
  });

  /** VPP as planned, started and answering its CLI, without waiting for its configuration. */
  async function bootPlannedVppAnswering(plan: Plan): Promise<string> {
    await bootPlannedVpp(run.docker, { ...plan, vppReady: plan.vppReady.slice(0, 1) }, vppImage);
    return (await run.docker.getContainer(plan.containers[0]!.name).inspect()).Id;
  }

  it.skipIf(!vhostNet)('tap: VPP creates the tap with its Linux side in its own namespace', async () => {
    const plan = planOf('tap');
    const vpp = await bootPlannedVpp(run.docker, plan, vppImage);
    expect(await vppctlUntil(vpp, ['show', 'interface', 'tap0'], /tap0\s+\d+\s+up/)).toBeTruthy();
    expect((await execIn(run.docker, vpp.id, ['cat', '/sys/class/net/vpp-app/operstate'])).exitCode).toBe(0);
  });

  /** The prefix image plus iperf3: an unmodified sockets program for LD_PRELOAD to redirect. */
  async function iperf3Image(base: string): Promise<string> {
    const tag = `vppkit-test/iperf3:${base.split(':')[1]}`;
    try {
      await run.docker.getImage(tag).inspect();
      return tag;
    } catch {
      const dir = await mkdtemp(join(tmpdir(), 'vppkit-iperf3-'));
      try {
        await writeFile(
          join(dir, 'Dockerfile'),
          ['ARG BASE_IMAGE', 'FROM ${BASE_IMAGE}', 'RUN apt-get update && apt-get install -y --no-install-recommends iperf3 && rm -rf /var/lib/apt/lists/*'].join('\n'),
        );
        await buildImage(run.docker, { context: packContext([{ from: dir, to: '.' }]), tag, buildArgs: { BASE_IMAGE: base } });
        return tag;
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }
  }
});
