import { pathModule } from '../paths/registry.js';
import type { Report } from '../paths/vpp-path.js';
import { formatCount } from './lab-error.js';
import type { AppInput } from './lab-input.js';
import type { LabApp, PathName } from './lab-model.js';
import {
  contains,
  formatNetwork,
  interfaceAddress,
  overlaps,
  parseInterfaceAddress,
  subnetOf,
  supernetOf,
  type InterfaceAddress,
  type Ipv4Network,
} from './ipv4.js';
import type { KeyPath } from './yaml-locator.js';

export type Link = LabApp['link'];

/** An app as the addresses see it: as written, and where it is in the apps list. */
export interface NumberedApp {
  raw: AppInput;
  index: number;
}

/**
 * Each app gets a subnet: from its own address when given, else the next /24 of the pool that no
 * given address overlaps. VPP takes .1 and the app .2 by default; for vcl paths VPP hosts the app's
 * address itself. A pool that runs out is one problem, reported at the first app it fails.
 */
export function resolveLinks(apps: readonly NumberedApp[], pool: Ipv4Network, report: Report): Link[] {
  const explicit = apps.map(({ raw, index }) => parseExplicitLink(raw, ['apps', index], report));
  const taken = explicit.filter((link): link is Link => link !== undefined).map((link) => link.subnet);
  let next = 1; // .0.0/24 of the pool stays free: it reads like a network, not a link.
  let exhausted = false;
  const links = apps.map(({ raw, index }, position): Link => {
    const given = explicit[position];
    if (given) return given;
    let subnet: Ipv4Network | undefined;
    while (!exhausted && (subnet = subnetOf(pool, next++, 24)) && taken.some((other) => overlaps(other, subnet!)));
    if (!subnet) {
      if (!exhausted) reportPoolUsedUp(apps, explicit, position, pool, report);
      exhausted = true;
      // Never used: the lab is refused. The pool's first /24 keeps the app's type whole meanwhile.
      return linkIn({ base: pool.base, prefixLength: 24 }, 2, 1);
    }
    taken.push(subnet);
    return linkIn(subnet, vppHostsApp(raw) ? 1 : 2, 1);
  });

  // Subnets from the pool avoid every given one, so only given subnets can overlap: each is reported
  // once, against the first it overlaps.
  explicit.forEach((link, position) => {
    if (!link) return;
    const other = explicit.findIndex((earlier, at) => at < position && earlier !== undefined && overlaps(earlier.subnet, link.subnet));
    if (other === -1) return;
    const { raw, index } = apps[position]!;
    report(
      ['apps', index, raw.address !== undefined ? 'address' : 'vpp-address'],
      `subnet ${formatNetwork(link.subnet)} overlaps app "${apps[other]!.raw.name}" (${formatNetwork(explicit[other]!.subnet)})`,
      'give each app an address in a subnet of its own',
    );
  });
  return links;
}

function reportPoolUsedUp(apps: readonly NumberedApp[], explicit: readonly (Link | undefined)[], position: number, pool: Ipv4Network, report: Report): void {
  const got = explicit.slice(0, position).filter((link) => link === undefined).length;
  const without = explicit.slice(position).filter((link) => link === undefined).length;
  const slots = 2 ** (24 - pool.prefixLength);
  // The smallest pool with a /24 for every app that has no address, besides those the pool has now.
  const prefixLength = 24 - Math.ceil(Math.log2(slots + without));
  const larger = prefixLength >= 8 ? `use a larger pool, e.g. pool: ${formatNetwork(supernetOf(pool, prefixLength))}, or give apps addresses of their own` : 'give apps addresses of their own';
  const after = without - 1;
  report(
    ['apps', apps[position]!.index],
    `the pool ${formatNetwork(pool)} has no /24 left for this app${after ? ` nor for the ${formatCount(after)} after it that have no address of their own` : ''} (${formatCount(got)} apps before it got one each)`,
    larger,
  );
}

function parseExplicitLink(app: AppInput, at: KeyPath, report: Report): Link | undefined {
  if (app.address === undefined && app['vpp-address'] === undefined) return undefined;
  if (vppHostsApp(app) && app['vpp-address'] !== undefined) {
    report([...at, 'vpp-address'], 'vcl apps have no link of their own: VPP hosts the app\'s address on a loopback', 'remove vpp-address (address is the one the app binds)');
  }
  const appAddress = app.address === undefined ? undefined : parseOrReport(app.address, [...at, 'address'], report);
  const vppAddress = app['vpp-address'] === undefined || vppHostsApp(app) ? undefined : parseOrReport(app['vpp-address'], [...at, 'vpp-address'], report);
  if (app.address !== undefined && !appAddress) return undefined;
  if (app['vpp-address'] !== undefined && !vppHostsApp(app) && !vppAddress) return undefined;

  if (vppHostsApp(app)) return appAddress ? { subnet: appAddress.network, app: appAddress, vpp: appAddress } : undefined;
  if (appAddress && vppAddress) {
    if (!contains(appAddress.network, vppAddress.ip) || appAddress.prefixLength !== vppAddress.prefixLength) {
      report(
        [...at, 'vpp-address'],
        `${app['vpp-address']} is outside the subnet of address ${app.address} (${formatNetwork(appAddress.network)})`,
        `use an address in ${formatNetwork(appAddress.network)} with the same prefix length`,
      );
      return undefined;
    }
    if (appAddress.ip === vppAddress.ip) {
      report([...at, 'vpp-address'], 'VPP and the app cannot have the same address', 'give them different host addresses in the subnet');
      return undefined;
    }
    return { subnet: appAddress.network, app: appAddress, vpp: vppAddress };
  }
  const known = (appAddress ?? vppAddress)!;
  const firstHost = interfaceAddress(known.network, 1);
  const other = firstHost.ip === known.ip ? interfaceAddress(known.network, 2) : firstHost;
  return appAddress ? { subnet: known.network, app: appAddress, vpp: other } : { subnet: known.network, app: other, vpp: vppAddress! };
}

function parseOrReport(text: string, at: KeyPath, report: Report): InterfaceAddress | undefined {
  const parsed = parseInterfaceAddress(text);
  if (parsed.ok) return parsed.value;
  report(at, parsed.error, parsed.fix);
  return undefined;
}

function linkIn(subnet: Ipv4Network, appHost: number, vppHost: number): Link {
  return { subnet, app: interfaceAddress(subnet, appHost), vpp: interfaceAddress(subnet, vppHost) };
}

/** The session layer's paths: VPP hosts the app's own address, so there is no VPP end of a link. */
const vppHostsApp = (app: AppInput): boolean => pathModule(app.path as PathName).addressing === 'vpp-hosts-app';
