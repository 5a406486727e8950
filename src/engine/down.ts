import type Docker from 'dockerode';
import { LABEL, labelFilter, type Labels } from '../plan/labels.js';

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

  for (const info of await docker.listContainers({ all: true, filters })) {
    if (!isLab(info.Labels)) continue;
    await docker.getContainer(info.Id).remove({ force: true });
    result.containers.push((info.Names[0] ?? info.Id).replace(/^\//, ''));
  }
  for (const info of await docker.listNetworks({ filters })) {
    if (!isLab(info.Labels)) continue;
    await docker.getNetwork(info.Id).remove();
    result.networks.push(info.Name);
  }
  for (const info of (await docker.listVolumes({ filters })).Volumes ?? []) {
    if (!isLab(info.Labels ?? undefined)) continue;
    await docker.getVolume(info.Name).remove();
    result.volumes.push(info.Name);
  }
  return result;
}
