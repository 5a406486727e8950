import { randomBytes } from 'node:crypto';
import Docker from 'dockerode';
import { LABEL, labelFilter } from '../../src/plan/labels.js';

/** A client of the engine the tests run on (the kit's own loads dockerode lazily, for its start-up). */
export function engineClient(): Docker {
  return new Docker();
}

/** Marks everything one test file creates, so its cleanup is one query and never touches anything else. */
export const TEST_RUN_LABEL = 'io.vppkit.test-run';

export function testRun(): { docker: Docker; id: string; labels: Record<string, string>; cleanup: () => Promise<void> } {
  const docker = engineClient();
  const id = randomBytes(4).toString('hex');
  const labels = { [LABEL.managed]: 'true', [TEST_RUN_LABEL]: id };
  const cleanup = async (): Promise<void> => {
    await removeLabelled(docker, { [TEST_RUN_LABEL]: id });
    await untagLabImages(docker, `t${id}-`);
  };
  return { docker, id, labels, cleanup };
}

/**
 * The names `vppkit build`, `up` and compose give a test's lab images (labs named <prefix>...):
 * vppkit.invalid/<lab>..., and vppkit/<lab>_<app> for the apps `up` builds. Only the tags go: the
 * layers stay cached for the next run.
 */
export async function untagLabImages(docker: Docker, labPrefix: string): Promise<void> {
  for (const image of await docker.listImages()) {
    for (const tag of image.RepoTags ?? []) {
      if (tag.startsWith(`vppkit.invalid/${labPrefix}`) || tag.startsWith(`vppkit/${labPrefix}`)) {
        await docker.getImage(tag).remove({ noprune: true }).catch(() => undefined);
      }
    }
  }
}

export async function removeLabelled(docker: Docker, labels: Record<string, string>): Promise<void> {
  const filters = labelFilter(labels);
  for (const info of await docker.listContainers({ all: true, filters })) {
    await docker.getContainer(info.Id).remove({ force: true, v: true }).catch(() => undefined);
  }
  for (const volume of (await docker.listVolumes({ filters })).Volumes ?? []) {
    await docker.getVolume(volume.Name).remove().catch(() => undefined);
  }
  for (const network of await docker.listNetworks({ filters })) {
    await docker.getNetwork(network.Id).remove().catch(() => undefined);
  }
  for (const image of await docker.listImages({ filters })) {
    await docker.getImage(image.Id).remove({ force: true }).catch(() => undefined);
  }
}

/** Everything of the lab the engine still has, by the lab label: containers, networks, volumes. */
export async function labLeftovers(docker: Docker, lab: string): Promise<string[]> {
  const filters = labelFilter({ [LABEL.lab]: lab });
  return [
    ...(await docker.listContainers({ all: true, filters })).map((c) => `container ${c.Names[0]}`),
    ...(await docker.listNetworks({ filters })).map((n) => `network ${n.Name}`),
    ...((await docker.listVolumes({ filters })).Volumes ?? []).map((v) => `volume ${v.Name}`),
  ];
}
