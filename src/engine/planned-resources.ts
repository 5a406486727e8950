import type Docker from 'dockerode';
import { withCleanup } from './absent.js';
import type { PlannedContainer, PlannedNetwork, PlannedVolume } from '../plan/plan-types.js';
import { copyInto } from './copy-into.js';

export async function createPlannedVolume(docker: Docker, volume: PlannedVolume): Promise<void> {
  await docker.createVolume({ Name: volume.name, Labels: volume.labels });
}

export async function createPlannedNetwork(docker: Docker, network: PlannedNetwork): Promise<void> {
  await docker.createNetwork({
    Name: network.name,
    Driver: 'bridge',
    Labels: network.labels,
    ...(network.subnet && { IPAM: { Driver: 'default', Config: [{ Subnet: network.subnet, ...(network.gateway && { Gateway: network.gateway }) }] } }),
  });
}

/**
 * Creates a planned container (not started): the image the engine resolved for it, its rights and
 * mounts exactly as planned, its files written in, and its extra networks joined with their static
 * addresses. `containerIds` maps nodes to containers already created (for shared network namespaces).
 */
export async function createPlannedContainer(
  docker: Docker,
  planned: PlannedContainer,
  options: { image: string; containerIds: ReadonlyMap<string, string> },
): Promise<Docker.Container> {
  const [primary, ...others] = planned.networkMode.kind === 'networks' ? planned.networks : [];
  const networkMode =
    planned.networkMode.kind === 'container'
      ? `container:${options.containerIds.get(planned.networkMode.node)}`
      : primary
        ? primary.network
        : 'bridge';
  const container = await docker.createContainer({
    name: planned.name,
    Image: options.image,
    ...(planned.command && { Cmd: planned.command }),
    ...(planned.hostname && { Hostname: planned.hostname }),
    ...(planned.user && { User: planned.user.value }),
    Env: Object.entries(planned.env).map(([key, value]) => `${key}=${value}`),
    Labels: planned.labels,
    ...(planned.vppRestartGuard && {
      Healthcheck: { Test: ['CMD-SHELL', planned.vppRestartGuard.script], Interval: planned.vppRestartGuard.intervalSeconds * 1e9, Timeout: 5e9, Retries: 1 },
    }),
    HostConfig: {
      NetworkMode: networkMode,
      Privileged: planned.privileged,
      ...(planned.groups.length && { GroupAdd: planned.groups.map((grant) => grant.value) }),
      CapAdd: planned.capabilities.map((grant) => grant.value),
      ...(planned.onlyPlannedCapabilities && { CapDrop: ['ALL'] }),
      Devices: planned.devices.map((grant) => ({ PathOnHost: grant.value, PathInContainer: grant.value, CgroupPermissions: 'rwm' })),
      RestartPolicy: { Name: planned.restart },
      // The guard kills the app, never PID 1 (which ignores signals it has no handler for): the engine's init is PID 1.
      ...(planned.vppRestartGuard && { Init: true }),
      // NoCopy: otherwise the engine, on creating a container whose image has a folder where the
      // volume goes (the VPP image's and the app-dev image's /run/vpp), copies that folder's owner and
      // mode onto the volume (moby's copyOwnership), undoing the group VPP's entry script gave it.
      Mounts: planned.mounts.map((mount) => ({
        Type: mount.type,
        Source: mount.source,
        Target: mount.target,
        ...(mount.type === 'volume' && mount.readOnly && { ReadOnly: true }),
        // @types/dockerode has Labels and DriverConfig required here; the engine's API does not.
        ...(mount.type === 'volume' && { VolumeOptions: { NoCopy: true } as Docker.MountSettings['VolumeOptions'] }),
      })),
    },
    ...(primary && { NetworkingConfig: { EndpointsConfig: { [primary.network]: endpoint(primary.ipv4) } } }),
  });
  try {
    for (const network of others) {
      await docker.getNetwork(network.network).connect({ Container: container.id, EndpointConfig: endpoint(network.ipv4) });
    }
    // One archive at / with full paths: the engine creates missing folders (an app image may lack /etc/vpp).
    if (planned.files.length) {
      await copyInto(container, '/', Object.fromEntries(planned.files.map((file) => [file.path.replace(/^\/+/, ''), { content: file.content, mode: file.mode }])));
    }
  } catch (error) {
    // Half set up is worse than absent: nobody would know to remove it.
    return withCleanup(() => Promise.reject<Docker.Container>(error), `the half-made container ${planned.name}`, () => container.remove({ force: true }));
  }
  return container;
}

const endpoint = (ipv4: string | undefined): { IPAMConfig?: { IPv4Address: string } } => (ipv4 ? { IPAMConfig: { IPv4Address: ipv4 } } : {});
