import { formatInterfaceAddress, hostOf, type Ipv4Network } from '../lab/ipv4.js';
import type { LabAppOf } from '../lab/lab-model.js';
import { commonAppEnv, NET_ADMIN, vppInterfaceUp, vppPingsApp } from './common.js';
import type { VppPath } from './vpp-path.js';

/**
 * The Docker network between VPP and the app. Its bridge (the gateway) takes the last host address
 * and VPP's kernel interface the one below: VPP's own address on the link must differ from the
 * kernel's, because the XDP program hands VPP every frame on that queue.
 */
export function xdpNetwork(app: LabAppOf<'af_xdp'>): { subnet: Ipv4Network; gateway: string; vppKernel: string } {
  const subnet = app.link.subnet;
  const size = 2 ** (32 - subnet.prefixLength);
  return { subnet, gateway: hostOf(subnet, size - 2), vppKernel: hostOf(subnet, size - 3) };
}

export const xdpInterfaceName = (app: { name: string }): string => `xdp-${app.name}`;

export const afXdp: VppPath<'af_xdp'> = {
  name: 'af_xdp',
  summary: 'a Linux interface for any sockets app, through AF_XDP on a veth and the kernel',
  optionsKey: 'af_xdp',
  template: 'sockets-echo',
  plugins: ['af_xdp'],

  resolveOptions(app) {
    const raw = app.raw ?? {};
    return {
      queues: (raw.queues as number | 'all' | undefined) ?? 1,
      zeroCopy: (raw['zero-copy'] as boolean | undefined) ?? false,
    };
  },

  checkLab(apps, report) {
    for (const app of apps) {
      const { gateway, vppKernel } = xdpNetwork(app);
      for (const [key, address] of [['address', app.link.app.ip], ['vpp-address', app.link.vpp.ip]] as const) {
        if (address === gateway || address === vppKernel) {
          report(
            [...app.at, key],
            `${address} is reserved on an af_xdp link (${gateway} is the Docker bridge, ${vppKernel} VPP's kernel interface)`,
            'use a lower host address in the subnet, e.g. .1 for VPP and .2 for the app',
          );
        }
      }
    }
  },

  vpp(app, _lab, names) {
    const { subnet, gateway, vppKernel } = xdpNetwork(app);
    const ifname = xdpInterfaceName(app);
    const hostIf = `XDP_${app.index}`;
    return {
      cli: [
        [
          `create interface af_xdp host-if @${hostIf}@ name ${ifname}`,
          `num-rx-queues ${app.options.queues}`,
          app.options.zeroCopy ? 'zero-copy' : 'no-zero-copy',
        ].join(' '),
        `set interface ip address ${ifname} ${formatInterfaceAddress(app.link.vpp)}`,
        `set interface state ${ifname} up`,
      ],
      capabilities: [
        NET_ADMIN('attach the XDP program to the veth and bring it up'),
        { value: 'SYS_ADMIN', why: 'load the XDP (BPF) program and open the AF_XDP socket' },
      ],
      networks: [
        {
          name: names.resource(app.name, 'xdp'),
          subnet: `${hostOf(subnet, 0)}/${subnet.prefixLength}`,
          gateway,
          ipv4: vppKernel,
          why: `the veth VPP drives with AF_XDP, shared with ${app.name}`,
        },
      ],
      resolve: [{ name: hostIf, interfaceWithAddress: vppKernel }],
    };
  },

  app(app, lab, names) {
    return {
      runVolume: false,
      networkMode: 'bridge',
      networks: [{ name: names.resource(app.name, 'xdp'), ipv4: app.link.app.ip }],
      env: commonAppEnv(app, lab),
      files: [],
    };
  },

  vppReady: (app, _lab, names) => [vppInterfaceUp(app, names.vppNode, xdpInterfaceName(app))],

  appReady(app) {
    return [
      {
        node: app.name,
        about: app.name,
        description: `${app.name} has ${app.link.app.ip} on its side of the link`,
        run: { kind: 'exec', cmd: ['cat', '/proc/net/fib_trie'] },
        expect: `\\b${app.link.app.ip.replaceAll('.', '\\.')}\\b`,
      },
    ];
  },

  smoke(app, _lab, names) {
    return vppPingsApp(app, names.vppNode);
  },
};
