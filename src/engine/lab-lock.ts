import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type Docker from 'dockerode';
import { LABEL } from '../plan/labels.js';
import { inspectIfPresent, isAbsent } from './absent.js';
import { readEngineEvents } from './json-stream.js';
import { describeHolder, holderIsGone, thisProcess, type LockHolder } from './lock-holder.js';

/**
 * A lab's lock is a container on the engine, created and never started, named after the lab: the
 * engine refuses a second container of that name (409), atomically, to every client it has. So the
 * lock holds for two vppkit on one machine whatever folders their lab files are in, and for two
 * machines sharing a remote engine (DOCKER_HOST), where a file on either machine would not. It
 * carries who holds it, so the other vppkit can name it, and can take it over when that process is gone.
 */
export const LOCK_LABEL = 'io.vppkit.lock';

/** The holder, one label each, so `docker ps -a --format '{{.Label "io.vppkit.lock.pid"}}'` reads them. */
const HOLDER_LABELS = {
  operation: 'io.vppkit.lock.operation',
  pid: 'io.vppkit.lock.pid',
  host: 'io.vppkit.lock.host',
  boot: 'io.vppkit.lock.boot',
  pidNamespace: 'io.vppkit.lock.pid-namespace',
  machine: 'io.vppkit.lock.machine',
  processStart: 'io.vppkit.lock.process-start',
  command: 'io.vppkit.lock.command',
  cwd: 'io.vppkit.lock.cwd',
  since: 'io.vppkit.lock.since',
} as const satisfies Record<keyof LockHolder, string>;

/**
 * An image with nothing in it, for lock containers: the engine wants an image to create a container
 * from, and this one is made here (an empty layer imported), never pulled, so locks work offline.
 */
const LOCK_IMAGE = 'vppkit.invalid/kit/lock:empty';

/** `.` cannot be in a lab's name or a node's, so no lab's container can have this name. */
export function lockName(lab: string): string {
  return `vppkit-${lab}.lock`;
}

/** Another vppkit holds the lab's lock, and may still be at work: who, and what to do. */
export class LabLocked extends Error {
  constructor(
    readonly lab: string,
    readonly holder: LockHolder,
    /** False: it runs here; undefined: it runs elsewhere, and nothing here can tell whether it still does. */
    gone: false | undefined,
  ) {
    const what =
      gone === false
        ? `Wait for it to finish, or stop it (Ctrl-C where it runs, or kill ${holder.pid}), then run this again`
        : `Wait for it to finish. It runs on another machine or in another container, where vppkit cannot tell whether it still does: if it is gone, remove its lock (docker rm ${lockName(lab)}) and run this again`;
    super(`lab ${lab} is locked by another vppkit at work on it: ${describeHolder(holder)}. ${what}`);
    this.name = 'LabLocked';
  }
}

export interface LabLock {
  /** The holder this lock was taken from: a vppkit that is gone and left its lock behind. */
  readonly tookOver: LockHolder | undefined;
  /** Removes the lock; an error says that it is left, and what happens to it. */
  release(): Promise<void>;
}

/**
 * How long to keep trying while the name is taken but no container answers to it: the engine reserves
 * a name before the container it names can be inspected, so another vppkit's lock can be a moment
 * "taken" and "absent" at once; and how many locks left behind one call takes over at most.
 */
const SETTLE_MS = 5_000;
const TAKEOVERS = 5;

/**
 * Takes the lab's lock for `operation`, or throws LabLocked naming the vppkit that holds it. A lock
 * whose holder is gone (a vppkit killed, a machine rebooted) is taken over; `tookOver` says from whom.
 */
export async function lockLab(docker: Docker, lab: string, operation: string): Promise<LabLock> {
  const name = lockName(lab);
  const holder = thisProcess(operation);
  let tookOver: LockHolder | undefined;
  let takeovers = 0;
  const deadline = Date.now() + SETTLE_MS;
  for (let pause = 10; ; pause = Math.min(pause * 2, 200)) {
    const id = await createLock(docker, lab, holder);
    if (id) return { tookOver, release: () => releaseLock(docker, id, name) };
    const found = await inspectIfPresent(() => docker.getContainer(name).inspect());
    if (!found) {
      // Being made, or released meanwhile: either way, the next create tells.
      if (Date.now() > deadline) throw new Error(`could not take the lock of lab ${lab}: the engine said the name ${name} is taken, and for ${SETTLE_MS / 1000} s that no container has it`);
      await sleep(pause);
      continue;
    }
    const other = holderOf(found.Config.Labels ?? {});
    if (!other) {
      throw new Error(`a container named ${name} exists but is not a vppkit lock (it has no ${LOCK_LABEL} label): remove it (docker rm ${name}), or rename the lab`);
    }
    const gone = holderIsGone(other);
    if (gone !== true) throw new LabLocked(lab, other, gone);
    tookOver = other;
    // By its id, not its name: another vppkit taking the same lock over may have made its own by now.
    if (await removeLeftLock(docker, found.Id)) {
      if (++takeovers === TAKEOVERS) throw new Error(`could not take the lock of lab ${lab} (container ${name}): ${TAKEOVERS} locks left behind in a row were taken by another vppkit first`);
      continue;
    }
    if (Date.now() > deadline) throw new Error(`could not take the lock of lab ${lab}: the lock ${name} that ${describeHolder(other)} left has been being removed for ${SETTLE_MS / 1000} s`);
    await sleep(pause);
  }
}

/** Runs `work` holding the lab's lock, and releases it after, whatever happened. */
export async function withLabLock<T>(docker: Docker, lab: string, operation: string, work: (lock: LabLock) => Promise<T>): Promise<T> {
  const lock = await lockLab(docker, lab, operation);
  let value: T;
  try {
    value = await work(lock);
  } catch (error) {
    await lock.release().catch((left: Error) => {
      throw new AggregateError([error, left], `${error instanceof Error ? error.message : String(error)}; and ${left.message}`);
    });
    throw error;
  }
  await lock.release();
  return value;
}

/** The locks on the engine (of one lab, or of all), held or left behind. */
export async function labLocks(docker: Docker, lab?: string): Promise<{ lab: string; holder: LockHolder }[]> {
  const found = await docker.listContainers({ all: true, filters: { label: [lab ? `${LOCK_LABEL}=${lab}` : LOCK_LABEL] } });
  return found.flatMap((info) => {
    const holder = holderOf(info.Labels);
    return holder ? [{ lab: info.Labels[LOCK_LABEL]!, holder }] : [];
  });
}

/** What a lock found by status means: someone at work, or a lock the next up or down takes over. */
export function describeLock(lab: string, holder: LockHolder): string {
  const gone = holderIsGone(holder);
  return gone
    ? `lab ${lab}: a lock left by ${describeHolder(holder)}, which is gone; the next up or down takes it over`
    : `lab ${lab}: locked by ${describeHolder(holder)}${gone === undefined ? ', elsewhere' : ''}, at work on it`;
}

/** "taken over from <holder>, which is gone" when this lock was left behind by another vppkit. */
export function describeTakeOver(lock: LabLock): string | undefined {
  return lock.tookOver && `taken over from ${describeHolder(lock.tookOver)}, which is gone`;
}

/** The new lock's id, or undefined when the name is taken (409). */
async function createLock(docker: Docker, lab: string, holder: LockHolder): Promise<string | undefined> {
  const labels = {
    [LABEL.managed]: 'true',
    [LOCK_LABEL]: lab,
    ...Object.fromEntries(Object.entries(HOLDER_LABELS).map(([key, label]) => [label, String(holder[key as keyof LockHolder])])),
  };
  // Never started: its command only has to be there for the engine to accept it.
  const spec: Docker.ContainerCreateOptions = { name: lockName(lab), Image: LOCK_IMAGE, Cmd: ['vppkit-lock'], Labels: labels, NetworkDisabled: true };
  for (const last of [false, true]) {
    try {
      return (await docker.createContainer(spec)).id;
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode;
      if (status === 409) return undefined;
      // A 404 from create is "no such image": the first lock on this engine makes it.
      if (status !== 404 || last) throw error;
      await importLockImage(docker);
    }
  }
  throw new Error('unreachable');
}

/** True once removed; false when another vppkit taking it over removes it (409) or has (404). */
async function removeLeftLock(docker: Docker, id: string): Promise<boolean> {
  try {
    await docker.getContainer(id).remove({ force: true });
    return true;
  } catch (error) {
    if (isAbsent(error) || (error as { statusCode?: number }).statusCode === 409) return false;
    throw error;
  }
}

async function releaseLock(docker: Docker, id: string, name: string): Promise<void> {
  try {
    await docker.getContainer(id).remove({ force: true });
  } catch (error) {
    if (isAbsent(error)) return; // removed by hand: nothing is left
    throw new Error(`the lab's lock (container ${name}) could not be removed (${(error as Error).message}): the next up or down takes it over once this vppkit has exited`, { cause: error });
  }
}

/** An image of one empty layer: a tar archive is 1 KiB of zeros at its end, and nothing before. */
async function importLockImage(docker: Docker): Promise<void> {
  const [repo, tag] = LOCK_IMAGE.split(/:(?=[^:/]+$)/) as [string, string];
  const stream = await docker.importImage(Readable.from([Buffer.alloc(1024)]), { repo, tag, changes: [`LABEL ${LABEL.managed}=true`] });
  await readEngineEvents(stream, () => undefined);
}

function holderOf(labels: Record<string, string>): LockHolder | undefined {
  if (labels[LOCK_LABEL] === undefined) return undefined;
  const value = (key: keyof LockHolder): string => labels[HOLDER_LABELS[key]] ?? '';
  return {
    operation: value('operation'),
    pid: Number(value('pid')),
    host: value('host'),
    boot: value('boot'),
    pidNamespace: value('pidNamespace'),
    machine: value('machine'),
    processStart: value('processStart'),
    command: value('command'),
    cwd: value('cwd'),
    since: value('since'),
  };
}
