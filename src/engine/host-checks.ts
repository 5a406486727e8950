import { existsSync, readFileSync } from 'node:fs';
import { release } from 'node:os';
import type { PathName } from '../lab/lab-model.js';
import { PATH_NAMES, pathModule } from '../paths/registry.js';
import type { HostNeed } from '../paths/vpp-path.js';

export type CheckLevel = 'ok' | 'warn' | 'fail';

/** One line of `vppkit doctor`: what was found, what it blocks, and how to fix it. */
export interface HostCheck {
  name: string;
  level: CheckLevel;
  detail: string;
  /** What cannot run while this fails: paths, or a lab setting. */
  blocks: string[];
  fix?: string;
}

const read = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

/** One host need of the paths (see HostNeed), checked on this machine; `blocks` names the paths that have it. */
export function hostNeedCheck(need: HostNeed, blocks: string[]): HostCheck {
  const name = need.kind === 'device' ? need.path : 'XDP sockets';
  // Docker Desktop's engine runs in a Linux VM: this machine's devices and kernel say nothing of it.
  if (process.platform !== 'linux') return { name, level: 'warn', detail: `not checked: this machine is ${process.platform}, not the engine's Linux`, blocks: [] };
  if (need.kind === 'xdp-sockets') return xdpSocketsCheck(blocks);
  return existsSync(need.path)
    ? { name, level: 'ok', detail: 'present', blocks: [] }
    : { name, level: 'fail', detail: `missing: ${need.why}`, blocks, fix: need.fix };
}

const needKey = (need: HostNeed): string => (need.kind === 'device' ? need.path : need.kind);

/** Every host need of these paths (by default all), once each, checked, with the paths that have it: doctor's rows. */
export function pathHostChecks(paths: readonly PathName[] = PATH_NAMES): (HostCheck & { need: HostNeed })[] {
  const needs = new Map<string, { need: HostNeed; paths: string[] }>();
  for (const path of paths) {
    for (const need of pathModule(path).hostNeeds) {
      const entry = needs.get(needKey(need)) ?? { need, paths: [] };
      entry.paths.push(path);
      needs.set(needKey(need), entry);
    }
  }
  return [...needs.values()].map(({ need, paths: blocked }) => ({ ...hostNeedCheck(need, blocked), need }));
}

/** What this host lacks for a path, in a few words (create-vpp-app's chooser), or undefined. */
export function hostLacks(path: PathName): string | undefined {
  const missing = pathHostChecks([path]).filter((check) => check.level === 'fail');
  return missing.length ? missing.map((check) => check.name).join(' or ') : undefined;
}

export interface HugepageState {
  total: number;
  free: number;
  sizeKb: number;
  mounted: boolean;
}

export function hugepageState(meminfo = read('/proc/meminfo') ?? '', mounts = read('/proc/mounts') ?? ''): HugepageState {
  const field = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(meminfo)?.[1] ?? 0);
  return {
    total: field('HugePages_Total'),
    free: field('HugePages_Free'),
    sizeKb: field('Hugepagesize'),
    mounted: / \/dev\/hugepages hugetlbfs /.test(mounts),
  };
}

const HUGEPAGE_FIX = 'reserve pages and mount hugetlbfs: echo 512 | sudo tee /proc/sys/vm/nr_hugepages && sudo mount -t hugetlbfs nodev /dev/hugepages';

export function hugepageCheck(state = hugepageState()): HostCheck {
  const name = 'hugepages';
  if (state.total === 0) {
    return { name, level: 'warn', detail: 'none reserved (fine: labs use 4K pages unless they set vpp.hugepages)', blocks: ['vpp.hugepages'], fix: HUGEPAGE_FIX };
  }
  if (!state.mounted) {
    return { name, level: 'warn', detail: `${state.total} reserved, but no hugetlbfs at /dev/hugepages`, blocks: ['vpp.hugepages'], fix: HUGEPAGE_FIX };
  }
  return { name, level: 'ok', detail: `${state.free} of ${state.total} free (${state.sizeKb / 1024} MB each), hugetlbfs at /dev/hugepages`, blocks: [] };
}

/** Bytes of hugepages a lab's VPP needs: its main heap plus room for the buffers. */
export function hugepageBytesNeeded(heapSize: string): number {
  const match = /^(\d+)([MG])$/.exec(heapSize);
  const heap = match ? Number(match[1]) * (match[2] === 'G' ? 1024 : 1) * 2 ** 20 : 0;
  return heap + 64 * 2 ** 20;
}

export function xdpSocketsCheck(blocks: string[], kernel = release(), kallsyms = read('/proc/kallsyms')): HostCheck {
  const name = 'XDP sockets';
  const [major = 0, minor = 0] = kernel.split('.').map((part) => Number.parseInt(part, 10));
  if (major < 5 || (major === 5 && minor < 4)) {
    return { name, level: 'fail', detail: `kernel ${kernel} is older than 5.4`, blocks, fix: `use a kernel of 5.4 or newer for ${blocks.join(', ')}` };
  }
  if (kallsyms && !/\bxsk_\w+/.test(kallsyms)) {
    return { name, level: 'fail', detail: `kernel ${kernel} has no AF_XDP (no xsk_ symbols)`, blocks, fix: 'use a kernel built with CONFIG_XDP_SOCKETS=y' };
  }
  return { name, level: 'ok', detail: `kernel ${kernel}`, blocks: [] };
}

export function memlockCheck(limits = read('/proc/self/limits') ?? ''): HostCheck {
  const match = /^Max locked memory\s+(\S+)\s+(\S+)/m.exec(limits);
  const shown = match ? (match[1] === 'unlimited' ? 'unlimited' : `${Math.round(Number(match[1]) / 1024)} KiB`) : 'unknown';
  return {
    name: 'memlock limit',
    level: 'ok',
    detail: `${shown}; not a limit for vppkit labs: VPP runs with IPC_LOCK, so the kernel does not charge AF_XDP memory to it`,
    blocks: [],
  };
}
