import ipaddr from 'ipaddr.js';
import { quote } from './lab-error.js';

/** An IPv4 network, as a 32-bit base and a prefix length. */
export interface Ipv4Network {
  base: number;
  prefixLength: number;
}

/** An interface address: the host's address and the network it sits in. */
export interface InterfaceAddress {
  ip: string;
  prefixLength: number;
  network: Ipv4Network;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string; fix: string };

const toNumber = (ip: string): number => ipaddr.IPv4.parse(ip).toByteArray().reduce((n, byte) => n * 256 + byte, 0);
export const toDotted = (n: number): string => [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
const mask = (prefixLength: number): number => (prefixLength === 0 ? 0 : (0xffffffff << (32 - prefixLength)) >>> 0);
const networkOf = (n: number, prefixLength: number): number => (n & mask(prefixLength)) >>> 0;

export function formatNetwork(network: Ipv4Network): string {
  return `${toDotted(network.base)}/${network.prefixLength}`;
}

function splitCidr(text: string): { ip: string; prefixLength: number } | undefined {
  const match = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(text.trim());
  if (!match || !ipaddr.IPv4.isValidFourPartDecimal(match[1]!)) return undefined;
  const prefixLength = Number(match[2]);
  return prefixLength <= 32 ? { ip: match[1]!, prefixLength } : undefined;
}

/** "10.77.1.2/24": an address a host can have, with room for a peer (prefix length 8 to 30). */
export function parseInterfaceAddress(text: string, example = '10.77.1.2/24'): Parsed<InterfaceAddress> {
  const parts = splitCidr(text);
  if (!parts) return { ok: false, error: `${quote(text)} is not an IPv4 address with a prefix length`, fix: `write it like ${example}` };
  if (parts.prefixLength < 8 || parts.prefixLength > 30) {
    return { ok: false, error: `prefix length /${parts.prefixLength} leaves no room for VPP and the app`, fix: 'use a prefix length from /8 to /30, e.g. /24' };
  }
  const n = toNumber(parts.ip);
  const base = networkOf(n, parts.prefixLength);
  const broadcast = (base + 2 ** (32 - parts.prefixLength) - 1) >>> 0;
  if (n === base || n === broadcast) {
    return {
      ok: false,
      error: `${parts.ip} is the ${n === base ? 'network' : 'broadcast'} address of ${formatNetwork({ base, prefixLength: parts.prefixLength })}`,
      fix: `use a host address, e.g. ${toDotted(base + 2)}/${parts.prefixLength}`,
    };
  }
  return { ok: true, value: { ip: parts.ip, prefixLength: parts.prefixLength, network: { base, prefixLength: parts.prefixLength } } };
}

/** "10.77.0.0/16": a network (no host bits set) big enough to hand out /24s. */
export function parseNetwork(text: string, { maxPrefixLength }: { maxPrefixLength: number }): Parsed<Ipv4Network> {
  const parts = splitCidr(text);
  if (!parts) return { ok: false, error: `${quote(text)} is not an IPv4 network in CIDR form`, fix: 'write it like 10.77.0.0/16' };
  if (parts.prefixLength < 8 || parts.prefixLength > maxPrefixLength) {
    return { ok: false, error: `/${parts.prefixLength} is out of range`, fix: `use a prefix length from /8 to /${maxPrefixLength}` };
  }
  const base = networkOf(toNumber(parts.ip), parts.prefixLength);
  if (base !== toNumber(parts.ip)) {
    const network = formatNetwork({ base, prefixLength: parts.prefixLength });
    return { ok: false, error: `${text} has host bits set`, fix: `did you mean ${network}?` };
  }
  return { ok: true, value: { base, prefixLength: parts.prefixLength } };
}

export function contains(network: Ipv4Network, ip: string): boolean {
  return networkOf(toNumber(ip), network.prefixLength) === network.base;
}

export function overlaps(a: Ipv4Network, b: Ipv4Network): boolean {
  const shorter = Math.min(a.prefixLength, b.prefixLength);
  return networkOf(a.base, shorter) === networkOf(b.base, shorter);
}

/** The index-th /len subnet of a pool, or undefined when the pool has no more. */
export function subnetOf(pool: Ipv4Network, index: number, prefixLength: number): Ipv4Network | undefined {
  const count = 2 ** (prefixLength - pool.prefixLength);
  if (index < 0 || index >= count) return undefined;
  return { base: (pool.base + index * 2 ** (32 - prefixLength)) >>> 0, prefixLength };
}

/** The network of `prefixLength` (shorter than the network's own) that holds `network`. */
export function supernetOf(network: Ipv4Network, prefixLength: number): Ipv4Network {
  return { base: networkOf(network.base, prefixLength), prefixLength };
}

/** The n-th host of a network (1 = first usable). */
export function hostOf(network: Ipv4Network, n: number): string {
  return toDotted((network.base + n) >>> 0);
}

export function interfaceAddress(network: Ipv4Network, host: number): InterfaceAddress {
  return { ip: hostOf(network, host), prefixLength: network.prefixLength, network };
}

export function formatInterfaceAddress(address: InterfaceAddress): string {
  return `${address.ip}/${address.prefixLength}`;
}
