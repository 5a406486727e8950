import { open } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { DEFAULT_VPP_RELEASE } from '../config/defaults.js';
import { pathModule } from '../paths/registry.js';
import { stableNumber } from '../paths/common.js';
import type { AppDraft, Report } from '../paths/vpp-path.js';
import { parseNetwork, type Ipv4Network } from './ipv4.js';
import { resolveLinks, type NumberedApp } from './lab-addresses.js';
import type { ReleaseMirror } from './lab-core.js';
import { LabFileError, quote, type LabIssue } from './lab-error.js';
import type { AppInput, PrunedLabInput } from './lab-input.js';
import { MAX_LAB_FILE_BYTES } from './lab-limits.js';
import { PATH_NAMES, type Lab, type LabApp, type LabVpp, type PathName } from './lab-model.js';
import { parseLabYaml, tooLarge } from './lab-yaml.js';
import { pruneRejected } from './schema-prune.js';
import { validateAgainstSchema } from './schema-validate.js';
import { DEFAULT_HUGEPAGE_HEAP, PLUGIN_STANZAS } from './startup-stanzas.js';
import { formatKeyPath, type KeyPath } from './yaml-locator.js';

export const DEFAULT_LAB_FILE = 'vppkit.yaml';
const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const MAX_NAME = 40;
const DEFAULT_PORT = 7000;

/** Reads and validates a lab file; throws LabFileError listing every problem with its position. */
export async function loadLab(file: string): Promise<Lab> {
  const absolute = resolve(file);
  let read: Awaited<ReturnType<typeof readAtMost>>;
  try {
    read = await readAtMost(absolute, MAX_LAB_FILE_BYTES);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const fix = code === 'ENOENT' ? 'create one with create-vpp-app, or name another file with -f <file>' : 'check the file\'s permissions';
    throw new LabFileError([{ file: displayName(absolute), line: 1, column: 1, path: '', message: `cannot read the lab file (${code ?? String(error)})`, fix }]);
  }
  if (read.more) throw tooLarge(read.text, displayName(absolute), read.size);
  return parseLab(read.text, absolute);
}

/** Reads a file up to `limit` bytes, and says whether it has more: a lab file may be a 5 GB file or /dev/zero. */
async function readAtMost(file: string, limit: number): Promise<{ text: string; more: boolean; size?: number }> {
  const handle = await open(file, 'r');
  try {
    const stat = await handle.stat();
    const buffer = Buffer.alloc(limit + 1);
    let filled = 0;
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, null);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return { text: buffer.toString('utf8', 0, filled), more: filled > limit, ...(stat.isFile() && { size: stat.size }) };
  } finally {
    await handle.close();
  }
}

/**
 * Validates lab file text; `file` is where it came from (for messages and relative paths). The
 * schema's problems and those of the checks behind it are reported together: the checks read the
 * lab less the values the schema rejected.
 */
export function parseLab(source: string, file: string): Lab {
  const absolute = resolve(file);
  const shown = displayName(absolute);
  const { locator, data } = parseLabYaml(source, shown);
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new LabFileError([
      { file: shown, line: 1, column: 1, path: '', message: 'the lab file must be a mapping with at least name and apps', fix: 'start from: name: my-lab / apps: [{ name: app, path: memif }]' },
    ]);
  }

  const issues: LabIssue[] = [];
  const schema = validateAgainstSchema(data);
  for (const issue of schema.issues) {
    const position = issue.key === undefined ? locator.valueAt(issue.path) : locator.keyAt(issue.path, issue.key);
    const path = formatKeyPath(issue.key === undefined ? issue.path : [...issue.path, issue.key]);
    issues.push({ file: shown, ...position, path, message: issue.message, ...(issue.fix && { fix: issue.fix }) });
  }

  const report: Report = (path, message, fix) => {
    issues.push({ file: shown, ...locator.valueAt(path), path: formatKeyPath(path), message, ...(fix && { fix }) });
  };
  // Which plugins the lab loads is known only if vpp.plugins is as written.
  const pluginsKnown = !schema.rejected.some((path) => path[0] === 'vpp' && (path.length === 1 || path[1] === 'plugins'));
  const { input, prunedApps } = pruneRejected(data as Record<string, unknown>, schema.rejected);
  const lab = resolveLab(input, absolute, { pluginsKnown, prunedApps }, report);
  if (issues.length) throw new LabFileError(issues);
  return lab;
}

/** What the schema took out of the lab, which some checks must know of. */
interface Pruned {
  /** vpp.plugins is as written, so which plugins the lab loads is known. */
  pluginsKnown: boolean;
  /** Indexes of apps that lost a value: defaults stand in for it, which checks across apps must not compare. */
  prunedApps: ReadonlySet<number>;
}

/** The lab with its defaults; complete only when nothing was pruned (parseLab returns it only then). */
function resolveLab(input: PrunedLabInput, file: string, { pluginsKnown, prunedApps }: Pruned, report: Report): Lab {
  const name = input.name ?? '';
  if (input.name !== undefined) checkName(input.name, ['name'], report);
  const pool = resolvePool(name, input.pool, report);
  const vpp = resolveVpp(input, dirname(file), report);
  const { apps, all } = resolveApps(input.apps ?? [], name, dirname(file), pool, report);
  const lab: Lab = { name, file, dir: dirname(file), pool, vpp, apps: apps.map(({ app }) => app) };

  const whole = apps.filter(({ app }) => !prunedApps.has(app.index));
  for (const path of PATH_NAMES) {
    // Each path's lab-wide check sees only its own apps.
    pathModule(path).checkLab?.(whole.filter(({ app }) => app.path === path).map(({ app, at }) => ({ ...app, path, at })), report);
  }
  // Which plugins the lab loads depends on every app's path, too.
  checkStartupStanzas(input, all && pluginsKnown ? new Set(loadedPlugins(lab)) : undefined, report);
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
    message: `${quote(name)} is not a DNS label`,
    fix: `use lowercase letters, digits and '-', starting with a letter, at most ${MAX_NAME} characters${suggestion ? `, e.g. "${suggestion}"` : ''}`,
  };
}

/** The lab's /16: given, or derived from its name so it is stable and usually differs between labs. */
function resolvePool(name: string, given: string | undefined, report: Report): Ipv4Network {
  const fallback = { base: ((10 << 24) >>> 0) + (100 + stableNumber(name, 100)) * 65536, prefixLength: 16 };
  if (given === undefined) return fallback;
  const parsed = parseNetwork(given, { maxPrefixLength: 22 });
  if (!parsed.ok) {
    report(['pool'], parsed.error, parsed.fix);
    return fallback;
  }
  return parsed.value;
}

function resolveVpp(input: PrunedLabInput, dir: string, report: Report): LabVpp {
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
function releaseMirror(raw: NonNullable<PrunedLabInput['vpp']>): ReleaseMirror {
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

/**
 * Names are checked on every app that has one; the rest on the apps that have a name and a path the
 * schema accepts. `all` says that every app was resolved.
 */
function resolveApps(
  input: readonly (Partial<AppInput> | undefined)[],
  lab: string,
  dir: string,
  pool: Ipv4Network,
  report: Report,
): { apps: ResolvedApp[]; all: boolean } {
  const names = new Map<string, number>();
  input.forEach((app, index) => {
    if (app?.name === undefined) return;
    const at = ['apps', index, 'name'];
    checkName(app.name, at, report);
    if (app.name === 'vpp') report(at, 'the name "vpp" is taken by the lab\'s VPP node', 'rename the app');
    const first = names.get(app.name);
    if (first !== undefined) report(at, `apps[${first}] already has the name ${quote(app.name)}`, 'give every app its own name');
    else names.set(app.name, index);
  });

  const usable = input.flatMap((raw, index): NumberedApp[] => (raw?.name !== undefined && raw.path !== undefined ? [{ raw: raw as AppInput, index }] : []));
  const links = resolveLinks(usable, pool, report);
  const apps = usable.map(({ raw, index }, position): ResolvedApp => {
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
      link: links[position]!,
      options: module.resolveOptions(draft, { name: lab }, report),
    } as LabApp;
    return { app, at };
  });
  return { apps, all: usable.length === input.length };
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

/** `loaded`: the plugins the lab loads, unless the schema rejected what they come from. */
function checkStartupStanzas(input: PrunedLabInput, loaded: ReadonlySet<string> | undefined, report: Report): void {
  for (const [stanza, body] of Object.entries(input.vpp?.startup ?? {})) {
    const at: KeyPath = ['vpp', 'startup', stanza];
    if (stanza === 'plugins') {
      report(at, 'vppkit renders the plugins stanza from the paths in use', 'list extra plugins under vpp.plugins instead');
      continue;
    }
    const plugin = PLUGIN_STANZAS[stanza];
    if (plugin && loaded && !loaded.has(plugin)) {
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
