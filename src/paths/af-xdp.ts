import { formatInterfaceAddress } from '../lab/ipv4.js';
import { checkVethLinkAddresses, IFNAME_WITH_FUNCTION, interfaceWithAddressShell, NET_ADMIN, vethLinkForApp, vethLinkForVpp, vppInterfaceUp, vppPingsApp } from './common.js';
import type { VppPath } from './vpp-path.js';

export interface AfXdpOptions {
  queues: number | 'all';
  zeroCopy: boolean;
}

export const xdpInterfaceName = (app: { name: string }): string => `xdp-${app.name}`;

export const afXdp: VppPath<'af_xdp', AfXdpOptions> = {
  name: 'af_xdp',
  flag: 'af-xdp',
  summary: 'a Linux interface for any sockets app, through AF_XDP on a veth and the kernel',
  prose: {
    title: 'AF_XDP',
    sees: 'an ordinary Linux interface',
    useWhen: 'any Linux app, unchanged, on a kernel with XDP sockets; the successor to AF_PACKET',
    costs: 'the same kernel hairpin; still maturing (e.g. jumbo frames may be missing); needs BPF rights for VPP',
    howItWorks:
      'The app is a plain container on a network whose other end VPP drives with AF_XDP; packets cross the kernel between them.\nAny sockets program works unchanged.',
    devContainerGets: 'its own network, whose other end VPP drives with AF_XDP (10.98.1.0/24: one af_xdp copy at a time)',
  },
  chooser: {
    handles: ['packets', 'sockets'],
    codeChanges: false,
    kernelHairpin: true,
    preference: 2,
    because: 'AF_XDP gives it an ordinary Linux interface through the kernel',
  },
  hostNeeds: [{ kind: 'xdp-sockets', why: 'VPP opens an AF_XDP socket on its end of the link' }],
  addressing: 'link',
  optionsKey: 'af_xdp',
  optionsSchema: {
    "description": "AF_XDP options (path: af_xdp).",
    "type": "object",
    "additionalProperties": false,
    "properties": {
      "queues": {
        "description": "Receive queues VPP takes over (a number, or \"all\"). Default 1.",
        "oneOf": [
          {
            "type": "integer",
            "minimum": 1,
            "maximum": 64
          },
          {
            "const": "all"
          }
        ]
      },
      "zero-copy": {
        "description": "Ask for zero-copy mode (needs driver support; veth has none). Default false.",
        "type": "boolean"
      }
    }
  },
  // Measured on VPP 26.10-rc0 (sockets-echo template): VPP pings the app again 1.6 s after a docker
  // restart, 2.9 s after a crash.
  afterVppRestart: {
    rewiresItself: true,
    why: 'the app\'s end of the link is its own container\'s and stays; VPP\'s entry script binds VPP\'s end again on every start',
  },
  // Measured in the VPP-tier non-root test: the sockets-echo template as uid 4321.
  nonRoot: {
    works: true,
    why: 'the app has ordinary sockets on its end of a veth; the AF_XDP socket, and the capabilities it takes, are VPP\'s',
  },
  template: 'sockets-echo',
  plugins: ['af_xdp'],

  resolveOptions(app) {
    const raw = app.raw ?? {};
    return {
      queues: (raw.queues as number | 'all' | undefined) ?? 1,
      zeroCopy: (raw['zero-copy'] as boolean | undefined) ?? false,
    };
  },

  checkLab: (apps, report) => checkVethLinkAddresses(apps, report, 'af_xdp'),

  vpp(app, _lab, names) {
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
        { value: 'SYS_ADMIN', why: 'load the XDP (BPF) program' },
        // An XDP socket is a raw socket: xsk_umem__create() fails with EPERM without it.
        { value: 'NET_RAW', why: 'open the AF_XDP socket' },
      ],
      ...vethLinkForVpp(app, names, { suffix: 'xdp', why: `the veth VPP drives with AF_XDP, shared with ${app.name}`, hostIf }),
      egressWhy: 'its AF_XDP links hand every frame to VPP',
    };
  },

  app: (app, lab, names) => ({
    ...vethLinkForApp(app, lab, names, 'xdp'),
    // Measured: with the veth's default TX checksum offload, the app's kernel leaves TCP and UDP
    // checksums to the "hardware", AF_XDP hands VPP the frames as they are, and VPP drops every one
    // (ip4-local "bad tcp checksum"); pings pass, so only real traffic shows it.
    netnsStep: {
      script: [
        ...IFNAME_WITH_FUNCTION,
        ...interfaceWithAddressShell('ifname', app.link.app.ip),
        'command -v ethtool >/dev/null || { echo "vppkit: the VPP image has no ethtool (apt-get install ethtool)" >&2; exit 1; }',
        'ethtool -K "$ifname" tx off >/dev/null',
      ].join('\n'),
      capabilities: [NET_ADMIN('turn off TX checksum offload on the app\'s end of the link')],
      why: 'frames reach VPP through AF_XDP with their TCP and UDP checksums left to an offload that never runs, so the app\'s kernel must fill them in',
    },
  }),

  vppInterface: (app) => xdpInterfaceName(app),

  vppReady: (app, _lab, names) => [vppInterfaceUp(app, names.vppNode, xdpInterfaceName(app))],

  // Asked of VPP: the app's kernel answers, so nothing needs to be in the app's image.
  appReady: (app, _lab, names) => [vppPingsApp(app, names.vppNode)],

  smoke(app, _lab, names) {
    return vppPingsApp(app, names.vppNode);
  },
};
