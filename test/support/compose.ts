import { spawnSync } from 'node:child_process';
import type Docker from 'dockerode';

/** Debian's docker-compose (v1), the compose tool this machine can have. */
export function dockerCompose(cwd: string, args: string[], timeoutMs = 300_000): { status: number | null; output: string } {
  const result = spawnSync('docker-compose', args, { cwd, encoding: 'utf8', timeout: timeoutMs, env: { ...process.env, COMPOSE_INTERACTIVE_NO_CLI: '1' } });
  if (result.error) throw result.error;
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

export const haveDockerCompose = (): boolean => spawnSync('docker-compose', ['version'], { encoding: 'utf8' }).status === 0;

/** A container's wiring as `docker inspect` shows it, in terms that do not depend on ids. */
export interface Wiring {
  capAdd: string[];
  devices: string[];
  networkMode: string;
  networks: Record<string, string>;
  mounts: string[];
  privileged: boolean;
  /** The container's user ('' for the image's) and supplementary groups: VPP's group, by number. */
  user: string;
  groupAdd: string[];
  /** The restart policy's name; '' (compose's default) and 'no' are the same. */
  restart: string;
}

export async function wiringOf(docker: Docker, id: string, nodesById: ReadonlyMap<string, string>): Promise<Wiring> {
  const info = await docker.getContainer(id).inspect();
  const host = info.HostConfig;
  const mode = host.NetworkMode ?? '';
  const joined = /^container:(.+)$/.exec(mode)?.[1];
  return {
    capAdd: [...(host.CapAdd ?? [])].sort(),
    devices: ((host.Devices ?? []) as { PathOnHost: string; PathInContainer: string; CgroupPermissions: string }[]).map((d) => `${d.PathOnHost}:${d.PathInContainer}:${d.CgroupPermissions}`).sort(),
    networkMode: joined ? `container:${nodesById.get(joined) ?? [...nodesById].find(([key]) => key.startsWith(joined))?.[1] ?? joined}` : mode,
    networks: Object.fromEntries(
      Object.entries(info.NetworkSettings.Networks ?? {})
        .map(([name, endpoint]): [string, string] => [name, endpoint.IPAMConfig?.IPv4Address ?? ''])
        .sort(([a], [b]) => a.localeCompare(b)),
    ),
    mounts: info.Mounts.map((m) => `${m.Type} ${m.Type === 'volume' ? m.Name : m.Source} -> ${m.Destination}${m.RW ? '' : ' (ro)'}`).sort(),
    privileged: Boolean(host.Privileged),
    user: info.Config.User ?? '',
    groupAdd: [...(host.GroupAdd ?? [])].sort(),
    restart: host.RestartPolicy?.Name || 'no',
  };
}

/**
 * Removes what compose projects whose name starts with `prefix` left (containers, then volumes and
 * networks), by compose's own labels: for compose files without vppkit's labels (the template's).
 */
export async function removeComposeProjects(docker: Docker, prefix: string): Promise<void> {
  const ofPrefix = (labels: Record<string, string> | undefined | null): boolean => Boolean(labels?.['com.docker.compose.project']?.startsWith(prefix));
  for (const container of await docker.listContainers({ all: true })) {
    if (ofPrefix(container.Labels)) await docker.getContainer(container.Id).remove({ force: true, v: true }).catch(() => undefined);
  }
  for (const volume of (await docker.listVolumes()).Volumes ?? []) {
    if (ofPrefix(volume.Labels)) await docker.getVolume(volume.Name).remove().catch(() => undefined);
  }
  for (const network of await docker.listNetworks()) {
    if (ofPrefix(network.Labels)) await docker.getNetwork(network.Id).remove().catch(() => undefined);
  }
}

/** The engine and vpp tiers need docker-compose in CI (scripts/setup-machine.sh installs it); elsewhere its tests skip, saying so. */
export function composeAvailable(tier: string): boolean {
  if (haveDockerCompose()) return true;
  if (process.env.VPPKIT_REQUIRE_ENGINE === '1') throw new Error('docker-compose is required in CI: scripts/setup-machine.sh installs it');
  console.log(`[${tier} tier] compose and dev container tests skipped: no docker-compose on this machine (scripts/setup-machine.sh installs it)`);
  return false;
}
