import { formatInterfaceAddress } from '../lab/ipv4.js';
import { checkVethLinkAddresses, escapeRegExp, vethLinkForApp, vethLinkForVpp, vppPingsApp } from './common.js';
import type { VppPath } from './vpp-path.js';

/** AF_PACKET has no options of its own in a lab file. */
export type AfPacketOptions = Record<string, never>;

/** The Linux name of VPP's end of the link, resolved by VPP's entry script; VPP calls it host-<name>. */
const hostIf = (app: { index: number }): string => `PKT_${app.index}`;

export const afPacket: VppPath<'af_packet', AfPacketOptions> = {
  name: 'af_packet',
  flag: 'af-packet',
  summary: 'a Linux interface for any sockets app, through an AF_PACKET socket on a veth and the kernel',
  prose: {
    title: 'AF_PACKET',
    sees: 'an ordinary Linux interface',
    useWhen: 'any Linux app, unchanged, where AF_XDP is not possible (older kernels, restricted BPF, some Docker Desktop VMs)',
    costs: 'the kernel hairpin of AF_XDP, through a packet socket that copies every frame: the slowest path; VPP needs only `NET_RAW`',
    howItWorks:
      'The app is a plain container on a network whose other end VPP drives through an AF_PACKET socket (VPP\'s host-interface); packets cross the kernel between them.\nAny sockets program works unchanged.',
    devContainerGets: 'its own network, whose other end VPP drives with AF_PACKET (10.98.1.0/24: one af_packet copy at a time)',
  },
  chooser: {
    handles: ['packets', 'sockets'],
    codeChanges: false,
    kernelHairpin: true,
    preference: 3,
    because: 'AF_PACKET gives it an ordinary Linux interface through the kernel, with no more than a packet socket for VPP',
  },
  hostNeeds: [],
  addressing: 'link',
  // Measured on VPP 26.10-rc0 (sockets-echo template): VPP pings the app again 1.6 s after a docker
  // restart, 2.9 s after a crash.
  afterVppRestart: {
    rewiresItself: true,
    why: 'the app\'s end of the link is its own container\'s and stays; VPP\'s entry script binds VPP\'s end again on every start',
  },
  // Measured in the VPP-tier non-root test: the sockets-echo template as uid 4321.
  nonRoot: {
    works: true,
    why: 'the app has ordinary sockets on its end of a veth; the AF_PACKET socket, and the capabilities it takes, are VPP\'s',
  },
  template: 'sockets-echo',
  plugins: ['af_packet'],

  resolveOptions: () => ({}),
  checkLab: (apps, report) => checkVethLinkAddresses(apps, report, 'af_packet'),

  vpp(app, _lab, names) {
    const ifname = `host-@${hostIf(app)}@`;
    return {
      cli: [
        `create host-interface name @${hostIf(app)}@`,
        // VPP gives the interface a 9000-byte MTU; one frame larger than the veth's 1500 wedges its TX
        // ring. At the IP level VPP fragments instead, and needs no right to change the Linux link.
        `set interface mtu ip4 1500 ${ifname}`,
        `set interface ip address ${ifname} ${formatInterfaceAddress(app.link.vpp)}`,
        `set interface state ${ifname} up`,
      ],
      capabilities: [
        { value: 'NET_RAW', why: 'open the AF_PACKET socket on its end of the link' },
        { value: 'IPC_LOCK', why: 'lock the AF_PACKET socket\'s rings in RAM (they exceed the default memlock limit)' },
      ],
      ...vethLinkForVpp(app, names, { suffix: 'pkt', why: `the veth VPP drives through an AF_PACKET socket, shared with ${app.name}`, hostIf: hostIf(app) }),
    };
  },

  app: (app, lab, names) => vethLinkForApp(app, lab, names, 'pkt'),

  // VPP names the interface after a Linux name known only inside its container: its address says it is configured.
  // host-<the Linux name of VPP's end of the veth>, known only inside VPP's container.
  vppInterface: () => 'host-…',

  vppReady: (app, _lab, names) => [
    {
      node: names.vppNode,
      about: app.name,
      description: `VPP has ${formatInterfaceAddress(app.link.vpp)} on its AF_PACKET interface to ${app.name}`,
      run: { kind: 'vppctl', args: ['show', 'interface', 'address'] },
      expect: `L3 ${escapeRegExp(formatInterfaceAddress(app.link.vpp))}`,
    },
  ],

  // Asked of VPP: the app's kernel answers, so nothing needs to be in the app's image.
  appReady: (app, _lab, names) => [vppPingsApp(app, names.vppNode)],
  smoke: (app, _lab, names) => vppPingsApp(app, names.vppNode),
};
