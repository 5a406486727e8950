import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename } from 'node:path';

/** Who holds a lab's lock: enough for a person to find the process, and for vppkit to tell it is gone. */
export interface LockHolder {
  /** What the holder does to the lab. */
  operation: string;
  pid: number;
  host: string;
  /** Where its pid means something, on Linux: the kernel's boot, the pid namespace (containers have their own), the installation. */
  boot: string;
  pidNamespace: string;
  machine: string;
  /** When the process started, as the kernel counts it: a pid reused by another process has another. */
  processStart: string;
  command: string;
  cwd: string;
  /** When the lock was taken (ISO 8601). */
  since: string;
}

/** This process, about to take a lab's lock for `operation`. */
export function thisProcess(operation: string, now = new Date()): LockHolder {
  return {
    operation,
    pid: process.pid,
    ...whereThisRuns(),
    processStart: processStart(process.pid) ?? '',
    // `vppkit up -f lab.yaml`, as typed: the bin's name, not the file the package runs (dist/vppkit.js).
    command: [basename(process.argv[1] ?? process.argv0).replace(/\.[cm]?js$/, ''), ...process.argv.slice(2)].join(' '),
    cwd: process.cwd(),
    since: now.toISOString(),
  };
}

/**
 * Whether the holder is gone: true or false when its pid means something here (same boot, same pid
 * namespace), and true when it ran on this machine before it last booted; undefined when it runs
 * elsewhere (another machine on a shared engine, another container), where nothing here can tell.
 */
export function holderIsGone(holder: LockHolder): boolean | undefined {
  const here = whereThisRuns();
  if (!samePidSpace(holder, here)) return diedWithAnEarlierBoot(holder, here) ? true : undefined;
  // Linux says when the process with that pid started: another start is another process.
  const start = processStart(holder.pid);
  if (start !== undefined) return start !== holder.processStart;
  // No /proc entry: gone, or hidden from this user (hidepid), or no /proc at all: the kernel knows.
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    // EPERM: it exists, as another user's process.
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** "`vppkit up` (pid 4242 on host box, in /home/me/lab, since 2025-11-25T20:50:00.000Z, 12 s ago)" */
export function describeHolder(holder: LockHolder, now = new Date()): string {
  return `\`${holder.command}\` (pid ${holder.pid} on host ${holder.host}, in ${holder.cwd}, since ${holder.since}, ${ago(holder.since, now)})`;
}

function ago(since: string, now: Date): string {
  const seconds = Math.max(0, Math.round((now.getTime() - Date.parse(since)) / 1000));
  if (Number.isNaN(seconds)) return 'at an unknown time';
  if (seconds < 120) return `${seconds} s ago`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min ago`;
  return `${Math.round(seconds / 3600)} h ago`;
}

type Where = Pick<LockHolder, 'host' | 'boot' | 'pidNamespace' | 'machine'>;

/** The root pid namespace's inode: the same on every Linux boot. */
const ROOT_PID_NAMESPACE = 'pid:[4026531836]';

function samePidSpace(holder: LockHolder, here: Where): boolean {
  // Without /proc (macOS, Windows) the host's name is the best there is.
  if (!here.boot) return !holder.boot && holder.host === here.host;
  return holder.boot === here.boot && holder.pidNamespace === here.pidNamespace;
}

/**
 * The same installation (machine id and host name), both outside containers, another boot: this
 * machine rebooted since, and every process of that boot is gone. A container's machine id comes
 * with its image, so containers never count as the same machine.
 */
function diedWithAnEarlierBoot(holder: LockHolder, here: Where): boolean {
  return (
    Boolean(here.boot && here.machine) &&
    holder.machine === here.machine &&
    holder.host === here.host &&
    holder.boot !== here.boot &&
    holder.pidNamespace === ROOT_PID_NAMESPACE &&
    here.pidNamespace === ROOT_PID_NAMESPACE
  );
}

function whereThisRuns(): Where {
  return {
    host: hostname(),
    boot: readOr('/proc/sys/kernel/random/boot_id'),
    pidNamespace: (() => {
      try {
        return readlinkSync('/proc/self/ns/pid');
      } catch {
        return '';
      }
    })(),
    machine: readOr('/etc/machine-id'),
  };
}

function readOr(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return '';
  }
}

/** The process's start time in clock ticks since boot (/proc/<pid>/stat, field 22); undefined without /proc or without the process. */
function processStart(pid: number): string | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // Field 2 is the command in parentheses and may hold spaces: count from after its ")".
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
}
