import type { KeyPath } from '../lab/yaml-locator.js';
import { formatInterfaceAddress, hostOf, type Ipv4Network } from '../lab/ipv4.js';
import type { LabAppCore, LabCore } from '../lab/lab-core.js';
import type { AppContribution, PathNames, VppContribution } from './vpp-path.js';
import type { CheckRun, Grant, PlannedCheck } from './wiring.js';

/** VPP's runtime directory: its CLI, API and memif sockets, shared with apps through one volume. */
export const RUN_DIR = '/run/vpp';
export const CLI_SOCKET = `${RUN_DIR}/cli.sock`;

/**
 * The group VPP's sockets and run folder belong to; apps that share /run/vpp are given it, and so is
 * the dev container's user. By number: an app's own image need not have the group (Docker adds a
 * supplementary gid with no /etc/group entry). FD.io's packages make a `vpp` group too, but with
 * whatever system gid is free (100-999), so its number is not the same from one image to the next.
 * 4242: outside that system range, above the gids hosts and images give their first users (1000 and
 * on; the dev container's user takes the host user's), below nogroup (65534).
 */
export const VPP_GROUP = { name: 'vpp', gid: 4242 } as const;

/** VPP's CLI over its socket, as run inside VPP's container (by checks, compose health checks, `vppkit vppctl`). */
export function vppctlCommand(args: readonly string[]): string[] {
  return ['vppctl', '-s', CLI_SOCKET, ...args];
}

/** The command line a check runs in its node's container. */
export function checkCommand(run: CheckRun): string[] {
  return run.kind === 'vppctl' ? vppctlCommand(run.args) : run.cmd;
}

/** A shell function: the Linux name of the interface holding address $1 (Docker picks names; the plan gives addresses). */
export const IFNAME_WITH_FUNCTION = [
  'ifname_with() {',
  '  ip -o -4 addr show | awk -v want="$1" \'{ split($4, a, "/"); if (a[1] == want) { print $2; exit } }\'',
  '}',
];

/**
 * Shell that sets `variable` with IFNAME_WITH_FUNCTION (defined before it), or fails naming the
 * address and listing what there is. Needs `ip` and `awk`: run in VPP's image, never the app's.
 */
export function interfaceWithAddressShell(variable: string, address: string): string[] {
  return [
    `${variable}=$(ifname_with ${address})`,
    `[ -n "$${variable}" ] || { echo "vppkit: no interface has ${address}" >&2; ip -o -4 addr show >&2; exit 1; }`,
  ];
}

export const NET_ADMIN = (why: string): Grant => ({ value: 'NET_ADMIN', why });

/** Environment every app gets, so app code needs no addresses or names written into it. */
export function commonAppEnv(app: LabAppCore, lab: LabCore): Record<string, string> {
  return {
    VPPKIT_LAB: lab.name,
    VPPKIT_APP: app.name,
    VPPKIT_PATH: app.path,
    VPPKIT_APP_ADDRESS: formatInterfaceAddress(app.link.app),
    VPPKIT_VPP_ADDRESS: formatInterfaceAddress(app.link.vpp),
    VPPKIT_APP_PORT: String(app.port),
  };
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** VPP pings the app's address: the first reply may be lost to ARP, so one of three is enough. */
export function vppPingsApp(app: LabAppCore, vppNode: string): PlannedCheck {
  return {
    node: vppNode,
    about: app.name,
    description: `VPP pings ${app.name} at ${app.link.app.ip}`,
    run: { kind: 'vppctl', args: ['ping', app.link.app.ip, 'repeat', '3', 'interval', '0.2'] },
    expect: 'Statistics: \\d+ sent, [1-9]\\d* received',
  };
}

/** VPP says the interface is administratively up. */
export function vppInterfaceUp(app: LabAppCore, vppNode: string, ifname: string): PlannedCheck {
  return {
    node: vppNode,
    about: app.name,
    description: `VPP's interface ${ifname} is up`,
    run: { kind: 'vppctl', args: ['show', 'interface', ifname] },
    expect: `${escapeRegExp(ifname)}\\s+\\d+\\s+up\\b`,
  };
}

/**
 * A Docker network between VPP and an app, whose end VPP drives (AF_XDP, AF_PACKET). Its bridge (the
 * gateway) takes the last host address and VPP's kernel interface the one below: VPP's own address
 * on the link must differ from its kernel's, or the two answer ARP for it in a race.
 */
export function vethLinkNetwork(subnet: Ipv4Network): { subnet: Ipv4Network; gateway: string; vppKernel: string } {
  const size = 2 ** (32 - subnet.prefixLength);
  return { subnet, gateway: hostOf(subnet, size - 2), vppKernel: hostOf(subnet, size - 3) };
}

/** VPP's side of such a link: the network, VPP's kernel address on it, and the name its entry script resolves. */
export function vethLinkForVpp(
  app: LabAppCore,
  names: PathNames,
  link: { suffix: string; why: string; hostIf: string },
): Required<Pick<VppContribution, 'networks' | 'resolve'>> {
  const { subnet, gateway, vppKernel } = vethLinkNetwork(app.link.subnet);
  return {
    networks: [{ name: names.resource(app.name, link.suffix), subnet: `${hostOf(subnet, 0)}/${subnet.prefixLength}`, gateway, ipv4: vppKernel, why: link.why }],
    resolve: [{ name: link.hostIf, interfaceWithAddress: vppKernel }],
  };
}

/** The app's side of such a link: a plain container on the link's network, with no rights. */
export function vethLinkForApp(app: LabAppCore, lab: LabCore, names: PathNames, suffix: string): AppContribution {
  return {
    runVolume: false,
    networkMode: 'bridge',
    networks: [{ name: names.resource(app.name, suffix), ipv4: app.link.app.ip }],
    env: commonAppEnv(app, lab),
    files: [],
  };
}

/** The app's and VPP's addresses on such a link must not be the two the network takes. */
export function checkVethLinkAddresses(
  apps: readonly (LabAppCore & { at: KeyPath })[],
  report: (path: KeyPath, message: string, fix?: string) => void,
  path: string,
): void {
  for (const app of apps) {
    const { gateway, vppKernel } = vethLinkNetwork(app.link.subnet);
    for (const [key, address] of [['address', app.link.app.ip], ['vpp-address', app.link.vpp.ip]] as const) {
      if (address === gateway || address === vppKernel) {
        report(
          [...app.at, key],
          `${address} is reserved on an ${path} link (${gateway} is the Docker bridge, ${vppKernel} VPP's kernel interface)`,
          'use a lower host address in the subnet, e.g. .1 for VPP and .2 for the app',
        );
      }
    }
  }
}

/** A short hash-free numeric id derived from text, for defaults that must be stable across runs. */
export function stableNumber(text: string, modulo: number): number {
  let hash = 0x811c9dc5;
  for (const char of text) {
    hash ^= char.codePointAt(0)!;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % modulo;
}
