import { createHash } from 'node:crypto';
import { LABEL, type Labels } from './labels.js';
import { loadedPlugins } from '../lab/load-lab.js';
import type { Lab, LabApp } from '../lab/lab-model.js';
import { CLI_SOCKET, IFNAME_WITH_FUNCTION, interfaceWithAddressShell, RUN_DIR, VPP_GROUP } from '../paths/common.js';
import { forPath } from '../paths/registry.js';
import type { AppContribution, PathNames, VppContribution } from '../paths/vpp-path.js';
import type { Grant, Plan, PlannedCheck, PlannedDefect, PlannedContainer, PlannedFile, PlannedImage, PlannedNetwork, PlannedVolume } from './plan-types.js';
import { renderStartupConf } from './startup-conf.js';
import { GUARD_INTERVAL_S, guardScript, recordVppStart } from './vpp-restart-guard.js';

export const VPP_NODE = 'vpp';
const STARTUP_CONF = '/etc/vpp/startup.conf';
const SETUP_CLI = '/etc/vpp/setup.cli';
const RESOLVED_CLI = '/etc/vpp/setup.resolved.cli';
const ENTRY_SCRIPT = '/etc/vpp/vppkit-entry.sh';

/**
 * Resource names are vppkit-<lab>_<node>[_<what>]: lab and node names are DNS labels, which have no
 * '_', so no two labs can make the same name (with '-', lab web + app api-server and lab web-api +
 * app server would both be vppkit-web-api-server).
 */
export function namesFor(lab: string): PathNames {
  const prefix = `vppkit-${lab}`;
  return {
    lab,
    vppNode: VPP_NODE,
    runVolume: `${prefix}_run`,
    resource: (app, suffix) => `${prefix}_${app}_${suffix}`,
  };
}

export const containerName = (lab: string, node: string): string => `vppkit-${lab}_${node}`;

/**
 * VPP comes back when its process dies (a crash, a kill -9, an OOM kill: non-zero exits) and its entry
 * script applies the lab's CLI again. on-failure rather than unless-stopped or always: a `docker stop`
 * by the user is not fought, and a lab does not come back by itself after the engine or the host
 * restarts (a lab is brought up by `up`, not at boot). The engine backs off between restarts (100 ms,
 * doubling), so a VPP that crashes at boot loops slowly; `status` shows it restarting.
 */
const VPP_RESTART = 'on-failure';

/**
 * VPP runs as root with its group as its primary group, so everything it makes in /run/vpp (CLI, API,
 * memif and app namespace sockets, which it binds group-writable) and its shared-memory API segment
 * belong to the group. Set on the container, not with startup.conf's `unix { gid }`: VPP looks that
 * gid up in the image's /etc/group and refuses to start without it, and a lab's own VPP image need
 * not have it; a container's gid needs no entry. Root, because capabilities granted to a container
 * are lost by a non-root process in it (Docker sets no ambient capabilities); root holds no others
 * (onlyPlannedCapabilities): not even the one that overrides file modes.
 */
const VPP_USER: Grant = {
  value: `0:${VPP_GROUP.gid}`,
  why: `root in group ${VPP_GROUP.gid} (${VPP_GROUP.name}), so the sockets it makes in ${RUN_DIR} are the group's; root, as a non-root process would lose the capabilities below, and it has no others`,
};

/** What an app that shares VPP's run folder is given: the group, never a user (its image decides that). */
const VPP_GROUP_GRANT: Grant = { value: String(VPP_GROUP.gid), why: `${VPP_GROUP.name}, whose members reach VPP's sockets in ${RUN_DIR} (as any user)` };

/** Capabilities VPP gets in every lab: the least it boots with, no DPDK, no hugepages needed. */
const VPP_BASE_CAPABILITIES: Grant[] = [
  { value: 'IPC_LOCK', why: 'lock its buffer memory in RAM (also keeps AF_XDP memory off the memlock limit)' },
  { value: 'SYS_NICE', why: 'set its threads\' scheduling priority and CPU affinity' },
];

export function buildPlan(lab: Lab): Plan {
  const names = namesFor(lab.name);
  const labLabels: Labels = { [LABEL.managed]: 'true', [LABEL.lab]: lab.name };
  const contributions = lab.apps.map((app) => ({
    app,
    vpp: forPath(app).vpp(app, lab, names),
    own: forPath(app).app(app, lab, names),
  }));

  const volumes: PlannedVolume[] = [
    { name: names.runVolume, target: RUN_DIR, labels: labLabels, why: 'VPP\'s sockets (CLI, API, memif, VCL), shared with the apps that need them' },
  ];
  for (const volume of contributions.flatMap(({ vpp }) => vpp.volumes ?? [])) {
    if (!volumes.some((known) => known.name === volume.name)) volumes.push({ ...volume, labels: labLabels });
  }
  const linkNetworks = contributions.flatMap(({ vpp }) => vpp.networks ?? []);
  const egressWhys = [...new Set(contributions.flatMap(({ vpp }) => (vpp.egressWhy ? [vpp.egressWhy] : [])))];
  const egress: PlannedNetwork[] = linkNetworks.length
    ? [
        {
          name: names.resource(VPP_NODE, 'net'),
          why: `VPP's own Linux stack (and a tap app in its namespace) reaches other networks through it${egressWhys.length ? `: ${egressWhys.join('; ')}` : ', not through its links to the apps'}`,
          labels: { ...labLabels, [LABEL.configHash]: hash({}).slice(0, 16) },
        },
      ]
    : [];
  const networks: PlannedNetwork[] = [...egress, ...contributions.flatMap(({ vpp }) =>
    (vpp.networks ?? []).map(({ name, subnet, gateway, why }) => ({
      name,
      subnet,
      gateway,
      why,
      // A network whose subnet changed is replaced, not reused.
      labels: { ...labLabels, [LABEL.configHash]: hash({ subnet, gateway }).slice(0, 16) },
    })),
  )];

  const plugins = loadedPlugins(lab);
  const vppContainer = planVppContainer(lab, names, labLabels, plugins, contributions.map(({ vpp }) => vpp), egress[0]?.name);
  const appContainers = contributions.map(({ app, own }) => planAppContainer(lab, names, labLabels, app, own));
  const containers = [vppContainer, ...appContainers].map((container) => withConfigHash(container));

  const vppReady: PlannedCheck[] = [
    {
      node: VPP_NODE,
      about: VPP_NODE,
      description: 'VPP answers its CLI',
      run: { kind: 'vppctl', args: ['show', 'version'] },
      expect: '^vpp v\\d',
    },
    ...lab.apps.flatMap((app) => forPath(app).vppReady(app, lab, names)),
  ];
  const appsReady = lab.apps.flatMap((app) => forPath(app).appReady(app, lab, names));
  const smoke = lab.apps.map((app) => smokeCheck(app, lab, names));

  const body = {
    lab: lab.name,
    labFile: lab.file,
    labels: labLabels,
    images: planImages(lab),
    volumes,
    networks,
    containers,
    vpp: {
      startupConf: vppContainer.files.find((file) => file.path === STARTUP_CONF)!.content,
      setupCli: vppContainer.files.find((file) => file.path === SETUP_CLI)!.content,
      plugins,
      hugepages: lab.vpp.hugepages,
    },
    vppReady,
    appsReady,
    smoke,
  };
  // Not part of the hash: what runs is the same whichever defects the kit knows of.
  return { ...body, vppDefects: plannedDefects(lab), configHash: hash(body) };
}

function plannedDefects(lab: Lab): PlannedDefect[] {
  const byId = new Map<string, PlannedDefect>();
  for (const app of lab.apps) {
    for (const defect of forPath(app).knownDefects ?? []) {
      const planned = byId.get(defect.id) ?? { ...defect, apps: [] };
      planned.apps.push(app.name);
      byId.set(defect.id, planned);
    }
  }
  return [...byId.values()];
}

const appImageKey = (app: LabApp): string => `app:${app.name}`;
export const APP_DEV_IMAGE_KEY = 'app-dev';

/**
 * Local names per lab (see PlannedImage.ref). Their registry is a reserved name that never resolves
 * (RFC 2606), so a missing image is an error, never a pull of somebody else's image from Docker Hub.
 * Lab and app names are DNS labels, which have no '_'.
 */
export const LOCAL_REGISTRY = 'vppkit.invalid';
export const labImageRef = (lab: string, what: 'vpp' | 'app-dev'): string => `${LOCAL_REGISTRY}/${lab}:${what}`;
export const appImageRef = (lab: string, app: string, tag: string): string => `${LOCAL_REGISTRY}/${lab}_${app}:${tag}`;

function planImages(lab: Lab): PlannedImage[] {
  const source = lab.vpp.source;
  return [
    { key: VPP_NODE, source: { kind: 'vpp', vpp: source }, ref: source.kind === 'image' ? source.image : labImageRef(lab.name, 'vpp') },
    { key: APP_DEV_IMAGE_KEY, source: { kind: 'app-dev' }, ref: labImageRef(lab.name, 'app-dev') },
    ...lab.apps.map((app): PlannedImage =>
      app.source.kind === 'build'
        ? { key: appImageKey(app), source: { kind: 'build', context: app.source.context }, ref: appImageRef(lab.name, app.name, 'latest') }
        : { key: appImageKey(app), source: { kind: 'pull', image: app.source.image }, ref: app.source.image },
    ),
  ];
}

function planVppContainer(
  lab: Lab,
  names: PathNames,
  labLabels: Labels,
  plugins: string[],
  parts: VppContribution[],
  egress: string | undefined,
): PlannedContainer {
  const resolve = parts.flatMap((part) => part.resolve ?? []);
  const entrySteps = [...new Set(parts.flatMap((part) => part.entrySteps ?? []))];
  const cli = [...parts.flatMap((part) => part.cli), ...lab.vpp.cli];
  const fromPaths: Record<string, string[]> = {};
  for (const part of parts) {
    for (const [stanza, lines] of Object.entries(part.startup ?? {})) fromPaths[stanza] = [...(fromPaths[stanza] ?? []), ...lines];
  }
  const files: PlannedFile[] = [
    {
      path: STARTUP_CONF,
      content: renderStartupConf({ lab, plugins, fromPaths }),
      mode: 0o644,
    },
    { path: SETUP_CLI, content: cli.map((line) => `${line}\n`).join(''), mode: 0o644 },
  ];
  files.push({ path: ENTRY_SCRIPT, content: entryScript(resolve, entrySteps), mode: 0o755 });

  const mounts: PlannedContainer['mounts'] = [{ type: 'volume', source: names.runVolume, target: RUN_DIR }];
  for (const volume of parts.flatMap((part) => part.volumes ?? [])) {
    if (!mounts.some((mount) => mount.source === volume.name)) mounts.push({ type: 'volume', source: volume.name, target: volume.target });
  }
  if (lab.vpp.hugepages) {
    mounts.push({ type: 'bind', source: '/dev/hugepages', target: '/dev/hugepages', why: 'the host\'s hugetlbfs, for VPP\'s main heap and buffers' });
  }
  return {
    node: VPP_NODE,
    role: 'vpp',
    name: containerName(lab.name, VPP_NODE),
    hostname: VPP_NODE,
    image: VPP_NODE,
    command: ['/bin/sh', ENTRY_SCRIPT],
    env: {},
    mounts,
    user: VPP_USER,
    groups: [],
    capabilities: mergeGrants([VPP_BASE_CAPABILITIES, ...parts.map((part) => part.capabilities ?? [])]),
    // VPP runs with exactly these: none of the engine's defaults (CHOWN, NET_RAW, ...) unless a path asks.
    onlyPlannedCapabilities: true,
    devices: mergeGrants(parts.map((part) => part.devices ?? [])),
    // With links of its own, VPP's primary network is the egress one (Docker's default bridge cannot be
    // combined with user-defined networks in compose).
    networkMode: egress ? { kind: 'networks' } : { kind: 'bridge' },
    networks: [
      ...(egress ? [{ network: egress }] : []),
      ...parts.flatMap((part) => (part.networks ?? []).map(({ name, ipv4 }) => ({ network: name, ipv4 }))),
    ],
    privileged: lab.vpp.privileged,
    labels: { ...labLabels, [LABEL.node]: VPP_NODE },
    dependsOn: [],
    files,
    restart: VPP_RESTART,
  };
}

function planAppContainer(lab: Lab, names: PathNames, labLabels: Labels, app: LabApp, own: AppContribution): PlannedContainer {
  return {
    node: app.name,
    role: 'app',
    path: app.path,
    name: containerName(lab.name, app.name),
    // A container that joins another's network namespace cannot set its own hostname.
    ...(own.networkMode === 'bridge' && { hostname: app.name }),
    image: appImageKey(app),
    ...(app.command && { command: app.command }),
    env: { ...own.env, ...app.env },
    ...(own.processOnlyEnv?.length && { processOnlyEnv: own.processOnlyEnv }),
    mounts: [
      ...(own.runVolume ? [{ type: 'volume' as const, source: names.runVolume, target: RUN_DIR }] : []),
      ...(own.readOnlyVolumes ?? []).map(({ name, target }) => ({ type: 'volume' as const, source: name, target, readOnly: true })),
    ],
    groups: own.runVolume ? [VPP_GROUP_GRANT] : [],
    capabilities: mergeGrants([own.capabilities ?? []]),
    onlyPlannedCapabilities: false,
    devices: mergeGrants([own.devices ?? []]),
    networkMode: own.networkMode === 'vpp' ? { kind: 'container', node: VPP_NODE } : own.networks?.length ? { kind: 'networks' } : { kind: 'bridge' },
    networks: (own.networks ?? []).map(({ name, ipv4 }) => ({ network: name, ipv4 })),
    privileged: app.privileged,
    labels: { ...labLabels, [LABEL.node]: app.name },
    dependsOn: [VPP_NODE],
    files: own.files,
    ...(own.imageNeeds?.length && { imageNeeds: own.imageNeeds }),
    ...(own.netnsStep && { netnsStep: own.netnsStep }),
    nonRoot: forPath(app).nonRoot,
    afterVppRestart: afterVppRestartOf(app),
    ...guardFor(app, own),
  };
}

/**
 * An app's exit is otherwise the app's business (a client that ran its course is done, not failed).
 * One that cannot reattach to a restarted VPP, and shares VPP's run folder (where VPP records its
 * start), is guarded and restarted on failure; the others are `vppkit restart`'s to restart.
 */
function guardFor(app: LabApp, own: AppContribution): Pick<PlannedContainer, 'restart' | 'vppRestartGuard'> {
  if (afterVppRestartOf(app).rewiresItself || !own.runVolume) return { restart: 'no' };
  return { restart: 'on-failure', vppRestartGuard: { script: guardScript(), intervalSeconds: GUARD_INTERVAL_S } };
}

function afterVppRestartOf(app: LabApp): { rewiresItself: boolean; why: string } {
  const path = forPath(app);
  return path.afterVppRestartFor?.(app) ?? path.afterVppRestart;
}

function smokeCheck(app: LabApp, lab: Lab, names: PathNames): PlannedCheck {
  if (app.check) {
    return { node: app.name, about: app.name, description: `${app.name}'s own check: ${app.check.join(' ')}`, run: { kind: 'exec', cmd: app.check } };
  }
  return forPath(app).smoke(app, lab, names);
}

/** One grant per value; reasons from several paths are joined. */
function mergeGrants(lists: readonly Grant[][]): Grant[] {
  const merged = new Map<string, string[]>();
  for (const grant of lists.flat()) {
    const whys = merged.get(grant.value) ?? [];
    if (!whys.includes(grant.why)) whys.push(grant.why);
    merged.set(grant.value, whys);
  }
  return [...merged].map(([value, whys]) => ({ value, why: whys.join('; ') }));
}

/**
 * VPP's container starts here. Some names exist only inside it: Docker picks the Linux name of each
 * network's interface there, so the script finds each by the static address the plan gave it and
 * writes the CLI file with the names filled in. Then VPP replaces the shell (it stays PID 1: signals,
 * exit code and restarts are VPP's own), and a child applies the lab's CLI the moment VPP's CLI
 * answers. VPP's own `unix { exec }` would wait two seconds first, on every start. VPP ignores
 * SIGCHLD, so the finished child leaves no zombie.
 */
function entryScript(resolve: readonly { name: string; interfaceWithAddress: string }[], steps: readonly string[]): string {
  const cli = resolve.length ? RESOLVED_CLI : SETUP_CLI;
  const vppctl = `vppctl -s ${CLI_SOCKET}`;
  const lines = [
    '#!/bin/sh',
    '# Written by vppkit: starts VPP and applies the lab\'s CLI as soon as VPP answers.',
    'set -eu',
    // The run folder is the group's and no one else's; set-group-ID, so what apps make in it (a memif
    // master's socket) is the group's too, and VPP, a member, reaches it. VPP owns the folder, so
    // it needs no CHOWN capability for this.
    `chgrp ${VPP_GROUP.gid} ${RUN_DIR} && chmod 2770 ${RUN_DIR} || { echo "vppkit: cannot give ${RUN_DIR} to group ${VPP_GROUP.gid}" >&2; ls -ld ${RUN_DIR} >&2; id >&2; exit 1; }`,
    ...(resolve.length
      ? [
          ...IFNAME_WITH_FUNCTION,
          ...resolve.flatMap(({ name, interfaceWithAddress }) => interfaceWithAddressShell(name, interfaceWithAddress)),
          `sed ${resolve.map(({ name }) => `-e "s/@${name}@/$${name}/g"`).join(' ')} ${SETUP_CLI} > ${RESOLVED_CLI}`,
        ]
      : []),
    ...steps,
    `(until ${vppctl} show version >/dev/null 2>&1; do sleep 0.05; done; ${recordVppStart()}; ${vppctl} exec ${cli}) &`,
    `exec vpp -c ${STARTUP_CONF}`,
    '',
  ];
  return lines.join('\n');
}

function withConfigHash(container: PlannedContainer): PlannedContainer {
  return { ...container, labels: { ...container.labels, [LABEL.configHash]: hash(container).slice(0, 16) } };
}

function hash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

