import type Docker from 'dockerode';
import { LABEL, labelFilter } from '../plan/labels.js';

export interface LabContainer {
  lab: string;
  node: string;
  id: string;
  name: string;
  image: string;
  state: string;
  status: string;
  running: boolean;
  configHash: string | undefined;
}

/** The containers of one lab (or of every lab), found by label. */
export async function labContainers(docker: Docker, lab?: string): Promise<LabContainer[]> {
  const filters = labelFilter(lab ? { [LABEL.lab]: lab } : { [LABEL.managed]: 'true' });
  const found = await docker.listContainers({ all: true, filters });
  return found
    .filter((info) => info.Labels[LABEL.lab] !== undefined)
    .map((info) => ({
      lab: info.Labels[LABEL.lab]!,
      node: info.Labels[LABEL.node] ?? '?',
      id: info.Id,
      name: (info.Names[0] ?? info.Id).replace(/^\//, ''),
      image: info.Image,
      state: info.State,
      status: info.Status,
      running: info.State === 'running',
      configHash: info.Labels[LABEL.configHash],
    }))
    .sort((a, b) => a.lab.localeCompare(b.lab) || (a.node === 'vpp' ? -1 : b.node === 'vpp' ? 1 : a.node.localeCompare(b.node)));
}

/** The running container of a lab's node, or a clear error naming what exists. */
export async function nodeContainer(docker: Docker, lab: string, node: string): Promise<LabContainer> {
  const containers = await labContainers(docker, lab);
  if (!containers.length) throw new Error(`lab "${lab}" is not up: run vppkit up`);
  const found = containers.find((container) => container.node === node);
  if (!found) throw new Error(`lab "${lab}" has no node "${node}"; its nodes: ${containers.map((c) => c.node).join(', ')}`);
  return found;
}
