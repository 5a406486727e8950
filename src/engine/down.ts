import type Docker from 'dockerode';
import { LABEL, labelFilter, type Labels } from '../plan/labels.js';
import { isAbsent } from './absent.js';

export interface DownResult {
  containers: string[];
  networks: string[];
  volumes: string[];
}

/**
 * Removes every container, network and volume of one lab (or of all labs), found by label, and
 * nothing else: images stay, so the next `up` builds nothing.
 */
export async function down(docker: Docker, target: { lab: string } | { all: true }): Promise<DownResult> {
  const labels: Labels = 'lab' in target ? { [LABEL.lab]: target.lab } : { [LABEL.managed]: 'true' };
  const filters = labelFilter(labels);
  const isLab = (found: Record<string, string> | undefined): boolean => found?.[LABEL.lab] !== undefined;
  const result: DownResult = { containers: [], networks: [], volumes: [] };

  // Each kind at once, in parallel: containers first (they hold the networks and volumes).
  const containers = (await docker.listContainers({ all: true, filters })).filter((info) => isLab(info.Labels));
  const failures = await removeAll(containers, (info) => docker.getContainer(info.Id).remove({ force: true }), (info) => {
    result.containers.push((info.Names[0] ?? info.Id).replace(/^\//, ''));
  });
  const [networks, volumes] = await Promise.all([docker.listNetworks({ filters }), docker.listVolumes({ filters })]);
  failures.push(
    ...(await Promise.all([
      removeAll(networks.filter((info) => isLab(info.Labels)), (info) => docker.getNetwork(info.Id).remove(), (info) => result.networks.push(info.Name)),
      removeAll((volumes.Volumes ?? []).filter((info) => isLab(info.Labels ?? undefined)), (info) => docker.getVolume(info.Name).remove(), (info) => result.volumes.push(info.Name)),
    ])).flat(),
  );
  if (failures.length) {
    throw new AggregateError(failures, `could not remove everything: ${failures.map((failure) => failure.message).join('; ')}`);
  }
  for (const names of [result.containers, result.networks, result.volumes]) names.sort();
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
