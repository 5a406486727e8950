import type Docker from 'dockerode';
import { LABEL, labelFilter } from '../plan/labels.js';
import { isAbsent } from './absent.js';
import { labLocks, withLabLock } from './lab-lock.js';
import type { LockHolder } from './lock-holder.js';

export interface DownResult {
  containers: string[];
  networks: string[];
  volumes: string[];
  /** Locks a vppkit that is gone left behind, taken over and removed with the lab. */
  locksTakenOver: { lab: string; holder: LockHolder }[];
}

/**
 * Removes every container, network and volume of one lab (or of all labs), found by label, and
 * nothing else: images stay, so the next `up` builds nothing. Each lab is removed holding its lock,
 * so an `up` at work on it is not pulled apart: that lab fails, naming the `up`; the others go.
 */
export async function down(docker: Docker, target: { lab: string } | { all: true }): Promise<DownResult> {
  const labs = 'lab' in target ? [target.lab] : await everyLab(docker);
  const outcomes = await Promise.allSettled(labs.map((lab) => withLabLock(docker, lab, 'down', async (lock) => {
    const removed = await removeLab(docker, lab);
    return { ...removed, locksTakenOver: lock.tookOver ? [{ lab, holder: lock.tookOver }] : [] };
  })));
  const result: DownResult = { containers: [], networks: [], volumes: [], locksTakenOver: [] };
  const failures: { lab: string; error: Error }[] = [];
  for (const [index, outcome] of outcomes.entries()) {
    if (outcome.status === 'rejected') {
      failures.push({ lab: labs[index]!, error: outcome.reason as Error });
      continue;
    }
    for (const key of ['containers', 'networks', 'volumes', 'locksTakenOver'] as const) (result[key] as unknown[]).push(...outcome.value[key]);
  }
  for (const names of [result.containers, result.networks, result.volumes]) names.sort();
  if (failures.length === 1 && 'lab' in target) throw Object.assign(failures[0]!.error, { removed: result });
  if (failures.length) {
    const done = labs.filter((lab) => !failures.some((failure) => failure.lab === lab));
    const said = failures.map(({ lab, error }) => (error.message.includes(`lab ${lab}`) ? error.message : `lab ${lab}: ${error.message}`));
    const message = `${done.length ? `removed lab${done.length > 1 ? 's' : ''} ${done.join(', ')}; ` : ''}could not remove everything: ${said.join('; ')}`;
    throw Object.assign(new AggregateError(failures.map((failure) => failure.error), message), { removed: result });
  }
  return result;
}

/** What a failed down removed all the same (other labs, a lock taken over), when it says. */
export function removedBy(error: unknown): DownResult | undefined {
  return (error as { removed?: DownResult } | undefined)?.removed;
}

/** Every lab with something on the engine: containers, networks, volumes, or only a lock left behind. */
async function everyLab(docker: Docker): Promise<string[]> {
  const filters = labelFilter({ [LABEL.managed]: 'true' });
  const [containers, networks, volumes, locked] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
    docker.listVolumes({ filters }),
    labLocks(docker),
  ]);
  const labels = [...containers.map((info) => info.Labels), ...networks.map((info) => info.Labels), ...(volumes.Volumes ?? []).map((info) => info.Labels)];
  const labs = labels.map((found) => found?.[LABEL.lab]).filter((lab): lab is string => lab !== undefined);
  return [...new Set([...labs, ...locked.map((lock) => lock.lab)])].sort();
}

async function removeLab(docker: Docker, lab: string): Promise<Omit<DownResult, 'locksTakenOver'>> {
  const filters = labelFilter({ [LABEL.lab]: lab });
  const result: Omit<DownResult, 'locksTakenOver'> = { containers: [], networks: [], volumes: [] };

  // Each kind at once, in parallel: containers first (they hold the networks and volumes).
  const containers = await docker.listContainers({ all: true, filters });
  const failures = await removeAll(containers, (info) => docker.getContainer(info.Id).remove({ force: true }), (info) => {
    result.containers.push((info.Names[0] ?? info.Id).replace(/^\//, ''));
  });
  const [networks, volumes] = await Promise.all([docker.listNetworks({ filters }), docker.listVolumes({ filters })]);
  failures.push(
    ...(await Promise.all([
      removeAll(networks, (info) => docker.getNetwork(info.Id).remove(), (info) => result.networks.push(info.Name)),
      removeAll(volumes.Volumes ?? [], (info) => docker.getVolume(info.Name).remove(), (info) => result.volumes.push(info.Name)),
    ])).flat(),
  );
  if (failures.length) {
    throw new AggregateError(failures, `could not remove everything of lab ${lab}: ${failures.map((failure) => failure.message).join('; ')}`);
  }
  return result;
}

/** Removes each; one already gone (404) is not a failure, other failures are collected, not swallowed. */
async function removeAll<T>(items: readonly T[], remove: (item: T) => Promise<unknown>, removed: (item: T) => void): Promise<Error[]> {
  const outcomes = await Promise.allSettled(items.map(async (item) => {
    await remove(item);
    removed(item);
  }));
  return outcomes.flatMap((outcome) => {
    if (outcome.status === 'fulfilled') return [];
    const error = outcome.reason as Error;
    return isAbsent(error) ? [] : [error];
  });
}
