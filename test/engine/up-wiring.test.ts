import { existsSync } from 'node:fs';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { execIn } from '../../src/engine/exec.js';
import { hugepageBytesNeeded, hugepageState } from '../../src/engine/host-checks.js';
import { up } from '../../src/engine/up.js';
import type { Plan } from '../../src/plan/plan-types.js';
import { capabilitiesFrom, DOCKER_DEFAULT_CAPABILITIES } from '../support/capabilities.js';
import { testRun } from '../support/engine.js';
import { wiredOnBaseImage, enginePlan } from '../support/engine-lab.js';

const tier = inject('engineTier');
const huge = hugepageState();
const hugepagesUsable = huge.mounted && huge.free * huge.sizeKb * 1024 >= hugepageBytesNeeded('256M');
if (tier.run && !hugepagesUsable) console.log('[engine tier] hugepage wiring skipped: this host has no free hugepages on a mounted hugetlbfs');

// The wiring `up` gives each path, on the real engine. VPP and the apps are the base image doing
// nothing: what is checked is what the containers get, exactly as planned.
describe.skipIf(!tier.run)('up wires each path as planned', () => {
  const run = testRun();
  afterAll(() => run.cleanup());

  async function upWired(name: string, body: string, adjust: (plan: Plan) => Plan = (plan) => plan) {
    const plan = adjust(enginePlan(run, name, body));
    const result = await up(run.docker, wiredOnBaseImage(plan));
    const ids = new Map(result.containers.map((container) => [container.node, container.id]));
    const sh = (node: string, script: string) => execIn(run.docker, ids.get(node)!, ['sh', '-c', script]);
    return { plan, ids, sh };
  }

  it.each(['memif', 'vcl', 'vcl-ldpreload'])('%s: the app and VPP share /run/vpp (a file written in one is read in the other)', async (path) => {
    const { sh } = await upWired(`share-${path}`, `apps: [{ name: app, path: ${path} }]`);
    expect((await sh('vpp', `echo from-vpp-${path} > /run/vpp/probe`)).exitCode).toBe(0);
    expect((await sh('app', 'cat /run/vpp/probe')).stdout).toBe(`from-vpp-${path}\n`);
    expect((await sh('app', 'echo from-app > /run/vpp/reply')).exitCode).toBe(0);
    expect((await sh('vpp', 'cat /run/vpp/reply')).stdout).toBe('from-app\n');
  });

  it.each(['memif', 'vcl', 'vcl-ldpreload', 'af_xdp', 'af_packet'])('%s: every container has exactly the planned capabilities', async (path) => {
    const { plan, sh } = await upWired(`caps-${path.replace('_', '-')}`, `apps: [{ name: app, path: ${path} }]`);
    for (const container of plan.containers) {
      const status = (await sh(container.node, 'cat /proc/1/status')).stdout;
      const planned = container.capabilities.map((grant) => grant.value);
      const expected = [...new Set([...(container.onlyPlannedCapabilities ? [] : DOCKER_DEFAULT_CAPABILITIES), ...planned])].sort();
      expect(capabilitiesFrom(status), `${path}/${container.node}`).toEqual(expected);
    }
  });

  it('vcl: the app has its vcl.conf and the environment that points VCL at it', async () => {
    const { sh } = await upWired('vclconf', 'apps: [{ name: app, path: vcl-ldpreload, vcl: { namespace-id: blue } }]');
    const conf = await sh('app', 'cat "$VCL_CONFIG"');
    expect(conf.stdout).toContain('app-socket-api /run/vpp/app_ns_sockets/blue');
    expect((await sh('app', 'echo "$LD_PRELOAD $LDP_APP_NAME"')).stdout).toBe('/opt/vppkit/vcl/libvcl_ldpreload.so app\n');
  });

  it('hugepages: VPP gets the host\'s hugetlbfs only when the lab asks for it', async () => {
    const plain = await upWired('nohuge', 'apps: [{ name: app, path: memif }]');
    expect((await plain.sh('vpp', 'grep hugetlbfs /proc/mounts || true')).stdout).toBe('');
    if (!hugepagesUsable) return;
    const huge = await upWired('huge', 'vpp: { hugepages: 256M }\napps: [{ name: app, path: memif }]');
    expect((await huge.sh('vpp', 'grep hugetlbfs /proc/mounts')).stdout).toMatch(/ \/dev\/hugepages hugetlbfs /);
    // Only VPP: the app needs no hugepages for memif.
    expect((await huge.sh('app', 'grep hugetlbfs /proc/mounts || true')).stdout).toBe('');
  });

  it.each([
    ['af_xdp', '_xdp'],
    ['af_packet', '_pkt'],
  ])('%s: the link exists on both sides, with the planned addresses on the planned network', async (path, suffix) => {
    const { plan, sh } = await upWired(path.replace('_', '-'), `apps: [{ name: app, path: ${path} }]`);
    const network = plan.networks.find((candidate) => candidate.name.endsWith(suffix))!;
    const inspected = await run.docker.getNetwork(network.name).inspect();
    expect(inspected.IPAM?.Config?.[0]).toMatchObject({ Subnet: network.subnet, Gateway: network.gateway });
    for (const container of plan.containers) {
      const address = container.networks.find((candidate) => candidate.network === network.name)!.ipv4!;
      expect((await sh(container.node, 'cat /proc/net/fib_trie')).stdout, container.node).toMatch(new RegExp(`\\b${address.replaceAll('.', '\\.')}\\b`));
    }
  });

  it('af_xdp: VPP\'s primary network is its egress network, not the link whose frames XDP hands to VPP', async () => {
    const { plan, ids } = await upWired('xdp-egress', 'apps: [{ name: app, path: af_xdp }]');
    const vpp = await run.docker.getContainer(ids.get('vpp')!).inspect();
    const egress = plan.networks.find((candidate) => candidate.name.endsWith('_vpp_net'))!;
    expect(vpp.HostConfig.NetworkMode).toBe(egress.name);
    expect(Object.keys(vpp.NetworkSettings.Networks).sort()).toEqual(plan.networks.map((candidate) => candidate.name).sort());
    const app = await run.docker.getContainer(ids.get('app')!).inspect();
    expect(Object.keys(app.NetworkSettings.Networks)).toEqual([plan.networks.find((candidate) => candidate.name.endsWith('_xdp'))!.name]);
  });

  it('tap: the app joins VPP\'s network namespace, and VPP gets the tun device', async () => {
    // Without /dev/vhost-net on this host, the device is left out so the rest of the wiring can be seen.
    const vhost = existsSync('/dev/vhost-net');
    const { ids, sh } = await upWired('tap', 'apps: [{ name: app, path: tap }]', (plan) =>
      vhost
        ? plan
        : {
            ...plan,
            containers: plan.containers.map((container) => ({ ...container, devices: container.devices.filter((d) => d.value !== '/dev/vhost-net') })),
          },
    );
    const netns = async (node: string) => (await sh(node, 'readlink /proc/1/ns/net')).stdout;
    expect(await netns('app')).toBe(await netns('vpp'));
    expect((await sh('vpp', 'test -c /dev/net/tun && echo tun')).stdout).toBe('tun\n');
    expect((await sh('app', 'test -e /dev/net/tun && echo tun || echo none')).stdout).toBe('none\n');
    expect(ids.size).toBe(2);
  });
});
