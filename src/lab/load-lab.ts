import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { DEFAULT_VPP_RELEASE } from '../config/defaults.js';
import { pathModule } from '../paths/registry.js';
import { stableNumber } from '../paths/common.js';
import type { AppDraft, Report } from '../paths/vpp-path.js';
import {
  contains,
  formatNetwork,
  interfaceAddress,
  overlaps,
  parseInterfaceAddress,
  parseNetwork,
  subnetOf,
  type InterfaceAddress,
  type Ipv4Network,
} from './ipv4.js';
import type { ReleaseMirror } from './lab-core.js';
import type { AppInput, LabInput } from './lab-input.js';
import { LabFileError, type LabIssue } from './lab-error.js';
import { PATH_NAMES, type Lab, type LabApp, type LabVpp, type PathName } from './lab-model.js';
import { validateAgainstSchema } from './schema-validate.js';
import { DEFAULT_HUGEPAGE_HEAP, PLUGIN_STANZAS } from './startup-stanzas.js';
import { formatKeyPath, YamlLocator, type KeyPath } from './yaml-locator.js';

export const DEFAULT_LAB_FILE = 'vppkit.yaml';
const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const MAX_NAME = 40;
const DEFAULT_PORT = 7000;

/** Reads and validates a lab file; throws LabFileError listing every problem with its position. */
export async function loadLab(file: string): Promise<Lab> {
  const absolute = resolve(file);
  let source: string;
  try {
    source = await readFile(absolute, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const fix = code === 'ENOENT' ? 'create one with create-vpp-app, or name another file with -f <file>' : 'check the file\'s permissions';
    throw new LabFileError([{ file: displayName(absolute), line: 1, column: 1, path: '', message: `cannot read the lab file (${code ?? String(error)})`, fix }]);
  }
  return parseLab(source, absolute);
}

/** Validates lab file text; `file` is where it came from (for messages and relative paths). */
export function parseLab(source: string, file: string): Lab {
  const absolute = resolve(file);
  const shown = displayName(absolute);
  const lines = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  const locator = new YamlLocator(doc, lines);
  const issues: LabIssue[] = [];

  // Only the first: a YAML mistake cascades into errors that are its consequences.
  for (const error of doc.errors.slice(0, 1)) {
    const position = error.linePos?.[0] ?? { line: 1, col: 1 };
    const message = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    const fix = error.code === 'DUPLICATE_KEY' ? 'keep one of the two keys' : 'correct the YAML syntax here (indentation, a missing ":" or quote)';
    issues.push({ file: shown, line: position.line, column: position.col, path: '', message: `YAML: ${message}`, fix });
  }
  if (issues.length) throw new LabFileError(issues);

  const data: unknown = doc.toJS();
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new LabFileError([
      { file: shown, line: 1, column: 1, path: '', message: 'the lab file must be a mapping with at least name and apps', fix: 'start from: name: my-lab / apps: [{ name: app, path: memif }]' },
    ]);
  }

  for (const issue of validateAgainstSchema(data)) {
    const position = issue.key === undefined ? locator.valueAt(issue.path) : locator.keyAt(issue.path, issue.key);
    const path = formatKeyPath(issue.key === undefined ? issue.path : [...issue.path, issue.key]);
    issues.push({ file: shown, ...position, path, message: issue.message, ...(issue.fix && { fix: issue.fix }) });
  }
  if (issues.length) throw new LabFileError(issues);

  const report: Report = (path, message, fix) => {
    issues.push({ file: shown, ...locator.valueAt(path), path: formatKeyPath(path), message, ...(fix && { fix }) });
  };
  const lab = resolveLab(data as LabInput, absolute, report);
  if (issues.length) throw new LabFileError(issues);
  return lab;
}

function resolveLab(input: LabInput, file: string, report: Report): Lab {
  checkName(input.name, ['name'], report);
  const pool = resolvePool(input, report);
  const vpp = resolveVpp(input, dirname(file), report);
  const apps = resolveApps(input, dirname(file), pool, report);
  const lab: Lab = { name: input.name, file, dir: dirname(file), pool, vpp, apps: apps.map(({ app }) => app) };

  for (const name of PATH_NAMES) {
    // Each path's lab-wide check sees only its own apps.
    pathModule(name).checkLab?.(apps.filter(({ app }) => app.path === name).map(({ app, at }) => ({ ...app, path: name, at })), report);
  }
  checkStartupStanzas(input, lab, report);
  return lab;
}

function checkName(name: string, at: KeyPath, report: Report): void {
  const problem = nameProblem(name);
  if (problem) report(at, problem.message, problem.fix);
}

/** Lab and app names become parts of container, volume and network names: DNS labels, kept short. */
export function nameProblem(name: string): { message: string; fix: string } | undefined {
  if (DNS_LABEL.test(name) && name.length <= MAX_NAME) return undefined;
  const suggestion = name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^[^a-z]+/, '').replace(/-+$/, '').slice(0, MAX_NAME);
  return {
    message: `"${name}" is not a DNS label`,
    fix: `use lowercase letters, digits and '-', starting with a letter, at most ${MAX_NAME} characters${suggestion ? `, e.g. "${suggestion}"` : ''}`,
  };
}

/** The lab's /16: given, or derived from its name so it is stable and usually differs between labs. */
function resolvePool(input: LabInput, report: Report): Ipv4Network {
  const fallback = { base: ((10 << 24) >>> 0) + (100 + stableNumber(input.name, 100)) * 65536, prefixLength: 16 };
  if (input.pool === undefined) return fallback;
  const parsed = parseNetwork(input.pool, { maxPrefixLength: 22 });
  if (!parsed.ok) {
    report(['pool'], parsed.error, parsed.fix);
    return fallback;
  }
  return parsed.value;
}

function resolveVpp(input: LabInput, dir: string, report: Report): LabVpp {
  const raw = input.vpp ?? {};
  const given = (['release', 'image', 'prefix'] as const).filter((key) => raw[key] !== undefined);
  for (const extra of given.slice(1)) {
    report(['vpp', extra], `give only one of release, image and prefix (${given[0]} is already given)`, `remove vpp.${extra} or vpp.${given[0]}`);
  }
  const source: LabVpp['source'] =
    raw.image !== undefined
      ? { kind: 'image', image: raw.image }
      : raw.prefix !== undefined
        ? { kind: 'prefix', prefix: resolve(dir, raw.prefix) }
        : { kind: 'release', release: raw.release ?? DEFAULT_VPP_RELEASE, ...releaseMirror(raw) };
  if (source.kind !== 'release') {
    // An image or a prefix brings its VPP and headers: nothing would read where packages come from.
    const from = source.kind === 'image' ? `the image ${source.image}` : `the install prefix ${raw.prefix}`;
    for (const key of RELEASE_MIRROR_KEYS.filter((key) => raw[key] !== undefined)) {
      report(['vpp', key], `${key} goes with VPP from FD.io's packages (release), but this lab's VPP is ${from}`, `remove vpp.${key}, or use release: "${DEFAULT_VPP_RELEASE}" in place of vpp.${source.kind}`);
    }
  }
  const hugepages = raw.hugepages === undefined || raw.hugepages === false ? false : { size: raw.hugepages === true ? DEFAULT_HUGEPAGE_HEAP : raw.hugepages };
  return {
    source,
    workers: raw.workers ?? 0,
    hugepages,
    plugins: raw.plugins ?? [],
    startup: raw.startup ?? {},
    cli: raw.cli ?? [],
    privileged: raw.privileged ?? false,
  };
}

const RELEASE_MIRROR_KEYS = ['apt-repository', 'apt-key', 'source-tarball'] as const;

/** Where the lab's mirror of FD.io serves a release, as given; a repository's trailing / goes (its key is <repository>/gpgkey). */
function releaseMirror(raw: NonNullable<LabInput['vpp']>): ReleaseMirror {
  return {
    ...(raw['apt-repository'] !== undefined && { aptRepository: raw['apt-repository'].replace(/\/+$/, '') }),
    ...(raw['apt-key'] !== undefined && { aptKey: raw['apt-key'] }),
    ...(raw['source-tarball'] !== undefined && { sourceTarball: raw['source-tarball'] }),
  };
}

interface ResolvedApp {
  app: LabApp;
  at: KeyPath;
}

function resolveApps(input: LabInput, dir: string, pool: Ipv4Network, report: Report): ResolvedApp[] {
  const names = new Map<string, number>();
  input.apps.forEach((app, index) => {
    const at = ['apps', index, 'name'];
    checkName(app.name, at, report);
    if (app.name === 'vpp') report(at, 'the name "vpp" is taken by the lab\'s VPP node', 'rename the app');
    const first = names.get(app.name);
    if (first !== undefined) report(at, `apps[${first}] already has the name "${app.name}"`, 'give every app its own name');
    else names.set(app.name, index);
  });

  const links = resolveLinks(input.apps, pool, report);
  return input.apps.map((raw, index) => {
    const at: KeyPath = ['apps', index];
    const path = raw.path as PathName;
    const module = pathModule(path);
    checkOptionBlocks(raw, path, at, report);
    if (raw.build !== undefined && raw.image !== undefined) {
      report([...at, 'image'], 'give build or image, not both', 'remove one of them');
    }
    const draft: AppDraft = {
      name: raw.name,
      index,
      raw: module.optionsKey ? (raw[module.optionsKey as keyof AppInput] as Record<string, unknown> | undefined) : undefined,
      at,
    };
    const app = {
      name: raw.name,
      index,
      path,
      source: raw.image !== undefined ? { kind: 'image' as const, image: raw.image } : { kind: 'build' as const, context: resolve(dir, raw.build ?? '.') },
      ...(raw.command !== undefined && { command: toCommand(raw.command) }),
      env: Object.fromEntries(Object.entries(raw.env ?? {}).map(([key, value]) => [key, String(value)])),
      port: raw.port ?? DEFAULT_PORT,
      ...(raw.check !== undefined && { check: toCommand(raw.check) }),
      privileged: raw.privileged ?? false,
      link: links[index]!,
      options: module.resolveOptions(draft, { name: input.name }, report),
    } as LabApp;
    return { app, at };
  });
}

/** A string runs through the shell, as in a Dockerfile's shell form. */
function toCommand(command: string | string[]): string[] {
  return typeof command === 'string' ? ['/bin/sh', '-c', command] : command;
}

function checkOptionBlocks(raw: AppInput, path: PathName, at: KeyPath, report: Report): void {
  const own = pathModule(path).optionsKey;
  for (const key of OPTION_KEYS) {
    if (raw[key] !== undefined && key !== own) {
      const owners = PATH_NAMES.filter((name) => pathModule(name).optionsKey === key).join(' or ');
      report([...at, key], `${key} options on an app whose path is ${path}`, `remove ${key}: or set path: ${owners}`);
    }
  }
}

/** The option blocks an app may have: one per path that has options (vcl's serves both VCL paths). */
const OPTION_KEYS = [...new Set(PATH_NAMES.flatMap((name) => pathModule(name).optionsKey ?? []))];

type Link = LabApp['link'];

/**
 * Each app gets a subnet: from its own address when given, else the next /24 of the pool that no
 * given address overlaps. VPP takes .1 and the app .2 by default; for vcl paths VPP hosts the app's
 * address itself.
 */
function resolveLinks(apps: readonly AppInput[], pool: Ipv4Network, report: Report): Link[] {
  const explicit = apps.map((app, index) => parseExplicitLink(app, ['apps', index], report));
  const taken = explicit.filter((link): link is Link => link !== undefined).map((link) => link.subnet);
  let next = 1; // .0.0/24 of the pool stays free: it reads like a network, not a link.
  const links = apps.map((app, index): Link => {
    const given = explicit[index];
    if (given) return given;
    let subnet: Ipv4Network | undefined;
    while ((subnet = subnetOf(pool, next++, 24)) && taken.some((other) => overlaps(other, subnet!)));
    if (!subnet) {
      report(['apps', index], `the pool ${formatNetwork(pool)} has no free /24 left for this app`, 'use a larger pool, or give this app an address');
      subnet = { base: pool.base, prefixLength: 24 };
    }
    taken.push(subnet);
    return linkIn(subnet, vppHostsApp(app) ? 1 : 2, 1);
  });

  links.forEach((link, index) => {
    for (let other = 0; other < index; other++) {
      if (overlaps(links[other]!.subnet, link.subnet)) {
        report(
          ['apps', index, apps[index]!.address !== undefined ? 'address' : 'vpp-address'],
          `subnet ${formatNetwork(link.subnet)} overlaps app "${apps[other]!.name}" (${formatNetwork(links[other]!.subnet)})`,
          'give each app an address in a subnet of its own',
        );
      }
    }
  });
  return links;
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

function checkStartupStanzas(input: LabInput, lab: Lab, report: Report): void {
  const loaded = new Set(loadedPlugins(lab));
  for (const [stanza, body] of Object.entries(input.vpp?.startup ?? {})) {
    const at: KeyPath = ['vpp', 'startup', stanza];
    if (stanza === 'plugins') {
      report(at, 'vppkit renders the plugins stanza from the paths in use', 'list extra plugins under vpp.plugins instead');
      continue;
    }
    const plugin = PLUGIN_STANZAS[stanza];
    if (plugin && !loaded.has(plugin)) {
      report(at, `the ${stanza} stanza needs the ${plugin} plugin, which this lab does not load (VPP would reject the stanza)`, `add ${plugin} to vpp.plugins, or remove the stanza`);
    }
    let depth = 0;
    for (const char of body) {
      depth += char === '{' ? 1 : char === '}' ? -1 : 0;
      if (depth < 0) break;
    }
    if (depth !== 0) report(at, 'the body\'s braces do not balance', 'close every { with a }');
  }
}

/** Plugins the lab loads: its paths' own, ping (the smoke checks use it), and the ones it asks for. */
export function loadedPlugins(lab: Pick<Lab, 'apps' | 'vpp'>): string[] {
  const plugins = new Set<string>(['ping']);
  for (const app of lab.apps) for (const plugin of pathModule(app.path).plugins) plugins.add(plugin);
  for (const plugin of lab.vpp.plugins) plugins.add(plugin);
  return [...plugins].sort();
}

function displayName(file: string): string {
  const fromCwd = relative(process.cwd(), file);
  return fromCwd && !fromCwd.startsWith('..') && !isAbsolute(fromCwd) ? fromCwd : file;
}
