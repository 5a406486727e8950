import { formatInterfaceAddress } from '../lab/ipv4.js';
import { commonAppEnv, NET_ADMIN, vppInterfaceUp, vppPingsApp } from './common.js';
import type { VppPath } from './vpp-path.js';

export interface TapOptions {
  /** Numeric id of VPP's tap interface (tap<id>). */
  id: number;
  hostIfName: string;
  mtu: number;
}

/** Linux interface names have at most 15 characters (IFNAMSIZ - 1). */
export function defaultHostIfName(app: string): string {
  return `vpp-${app}`.slice(0, 15).replace(/-+$/, '');
}

export const tap: VppPath<'tap', TapOptions> = {
  name: 'tap',
  flag: 'tap',
  summary: 'a Linux interface for any sockets app, through VPP\'s TAP v2 (vhost-net) and the kernel',
  prose: {
    title: 'TAP v2',
    sees: 'an ordinary Linux interface',
    useWhen: 'any Linux app, sockets or raw packets, unchanged',
    costs: 'a hairpin through the kernel (VPP drives it through vhost-net); the host needs `/dev/net/tun` and `/dev/vhost-net`',
    howItWorks:
      'VPP gives the app an ordinary Linux interface with TAP v2; packets cross the kernel (vhost-net) between VPP and the app.\nAny sockets program works unchanged.',
    devContainerGets: 'VPP\'s network namespace, with the TAP v2 interface VPP makes (the host needs /dev/vhost-net)',
  },
  chooser: {
    handles: ['packets', 'sockets'],
    codeChanges: false,
    kernelHairpin: true,
    preference: 1,
    because: 'TAP v2 gives it an ordinary Linux interface, through the kernel by vhost-net',
  },
  hostNeeds: [
    { kind: 'device', path: '/dev/net/tun', why: 'the tap device itself', fix: 'load the tun module (sudo modprobe tun)' },
    {
      kind: 'device',
      path: '/dev/vhost-net',
      why: 'VPP\'s TAP v2 moves packets through vhost-net and has no fallback',
      fix: 'load it (sudo modprobe vhost_net); in a VM or sandbox without it, use a path that does not need it (create-vpp-app recommends one) instead of tap',
    },
  ],
  addressing: 'link',
  optionsKey: 'tap',
  optionsSchema: {
    "description": "TAP v2 options (path: tap).",
    "type": "object",
    "additionalProperties": false,
    "properties": {
      "host-if-name": {
        "description": "The Linux interface's name in the app's network namespace (at most 15 characters). Default vpp-<app>, shortened.",
        "type": "string",
        "pattern": "^[A-Za-z0-9_.-]{1,15}$",
        "x-fix": "use at most 15 letters, digits, '-', '_' or '.'"
      },
      "mtu": {
        "description": "MTU of the Linux side. Default 1500.",
        "type": "integer",
        "minimum": 68,
        "maximum": 65535
      }
    }
  },
  // Not measured (no /dev/vhost-net on the hosts the tests run on): the same sockets-echo app as af_packet's.
  nonRoot: {
    works: true,
    why: 'the app has ordinary sockets on the tap\'s Linux side; VPP made the tap and holds NET_ADMIN, the app nothing of VPP\'s',
  },
  afterVppRestart: { rewiresItself: false, why: 'the app shares VPP\'s network namespace, which goes with VPP\'s container: the app stays in the old one, with the old tap' },
  template: 'sockets-echo',
  plugins: ['tap'],

  resolveOptions(app) {
    const raw = app.raw ?? {};
    return {
      id: app.index,
      hostIfName: (raw['host-if-name'] as string | undefined) ?? defaultHostIfName(app.name),
      mtu: (raw.mtu as number | undefined) ?? 1500,
    };
  },

  checkLab(apps, report) {
    // Every tap's Linux side lands in VPP's network namespace (which the tap apps share): one name each.
    const seen = new Map<string, string>();
    for (const app of apps) {
      const other = seen.get(app.options.hostIfName);
      if (other) {
        report(
          [...app.at, 'tap', 'host-if-name'],
          `interface name ${app.options.hostIfName} is already used by app "${other}"`,
          'give each tap app its own tap.host-if-name (at most 15 characters)',
        );
      } else seen.set(app.options.hostIfName, app.name);
    }
  },

  vpp(app) {
    const { id, hostIfName, mtu } = app.options;
    return {
      cli: [
        `create tap id ${id} host-if-name ${hostIfName} host-ip4-addr ${formatInterfaceAddress(app.link.app)} host-mtu-size ${mtu}`,
        `set interface ip address tap${id} ${formatInterfaceAddress(app.link.vpp)}`,
        `set interface state tap${id} up`,
      ],
      capabilities: [NET_ADMIN('create the tap and configure its Linux side')],
      // The devices it needs from the host are the ones VPP's container gets.
      devices: tap.hostNeeds.flatMap((need) => (need.kind === 'device' ? [{ value: need.path, why: need.why }] : [])),
    };
  },

  app(app, lab) {
    return {
      runVolume: false,
      // The tap's Linux side is created in VPP's network namespace; the app joins that namespace
      // rather than VPP being given rights over the app's.
      networkMode: 'vpp',
      env: { ...commonAppEnv(app, lab), VPPKIT_IFNAME: app.options.hostIfName },
      files: [],
    };
  },

  vppInterface: (app) => `tap${app.options.id}`,

  vppReady: (app, _lab, names) => [vppInterfaceUp(app, names.vppNode, `tap${app.options.id}`)],

  // Run in VPP's container, which is the app's network namespace: nothing needs to be in the app's image.
  appReady(app, _lab, names) {
    const ifname = app.options.hostIfName;
    return [
      {
        node: names.vppNode,
        about: app.name,
        description: `${app.name} sees ${ifname} up`,
        run: { kind: 'exec', cmd: ['cat', `/sys/class/net/${ifname}/operstate`] },
        expect: '^(up|unknown)\\s*$',
      },
    ];
  },

  smoke(app, _lab, names) {
    return vppPingsApp(app, names.vppNode);
  },
};
