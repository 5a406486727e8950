import { posix, relative } from 'node:path';
import { stringify } from 'yaml';
import { LABEL } from '../plan/labels.js';
import { APP_DEV_ARG } from '../images/kit-images.js';
import { checkCommand } from '../paths/common.js';
import { APP_DEV_IMAGE_KEY, VPP_NODE } from '../plan/build-plan.js';
import type { NetnsStep, Plan, PlannedCheck, PlannedContainer } from '../plan/plan-types.js';
import type { GeneratedFile } from './generated-files.js';
import { shellQuote } from '../util/shell-quote.js';

/** Where exports put the files the plan writes into containers, relative to the project. */
export const FILES_DIR = '.vppkit/files';

/** An image compose builds itself: a Dockerfile stage, with build arguments. */
export interface ComposeBuild {
  /** Absolute path of the build context. */
  context: string;
  target?: string;
  args?: Record<string, string>;
}

export interface ComposeOptions {
  /** The project: relative paths in the output start here. */
  projectDir: string;
  /** The directory the compose file is written to (paths in it are relative to this). */
  composeDir: string;
  /** Where the container files go, relative to the project. */
  filesDir?: string;
  /**
   * One app runs as a dev container instead: the app-dev image, idle, with the workspace mounted
   * (by default the project, at workspaceTarget, which is also its working directory).
   */
  dev?: { app: string; workspaceTarget: string; workspaceSource?: string; workingDir?: string };
  /** Images by plan key built by compose, in place of the plan's own refs (the Dev Container Template builds VPP's). */
  images?: ReadonlyMap<string, ComposeBuild>;
  /**
   * Names scoped by the compose project instead of the lab's (no container, volume or network names,
   * no vppkit labels), so several copies can run side by side: for the Dev Container Template.
   */
  projectScoped?: boolean;
}

export interface RenderedCompose {
  /** The compose file's text. */
  text: string;
  /** The container files it mounts, paths relative to the project. */
  files: GeneratedFile[];
}

/** The plan as a compose file: the same containers, volumes, networks, rights and start order as `vppkit up`. */
export function renderCompose(plan: Plan, options: ComposeOptions): RenderedCompose {
  const toCompose = (path: string): string => {
    const rel = relative(options.composeDir, path).split('\\').join('/');
    // ./ marks a host path: without it, compose reads a bind's source as a volume name.
    return rel === '' ? '.' : rel === '..' || rel.startsWith('../') ? rel : `./${rel}`;
  };
  const volumeKeys = new Map(plan.volumes.map((volume) => [volume.name, shortName(plan.lab, volume.name)]));
  const networkKeys = new Map(plan.networks.map((network) => [network.name, shortName(plan.lab, network.name)]));
  const files: GeneratedFile[] = [];
  const scoped = Boolean(options.projectScoped);

  const services: Record<string, unknown> = {};
  for (const container of plan.containers) {
    const containerFiles = container.files.map((file) => ({
      path: posix.join(options.filesDir ?? FILES_DIR, container.node, file.path),
      content: file.content,
      mode: file.mode,
    }));
    files.push(...containerFiles);
    const dev = options.dev?.app === container.node ? options.dev : undefined;
    services[container.node] = service(plan, container, {
      ...imageFor(plan, dev ? APP_DEV_IMAGE_KEY : container.image, options, toCompose),
      command: dev ? ['sleep', 'infinity'] : container.command,
      volumes: [
        // nocopy, as `up` mounts volumes: see createPlannedContainer.
        ...container.mounts.map((mount) =>
          mount.type === 'volume' ? `${volumeKeys.get(mount.source)}:${mount.target}:${mount.readOnly ? 'ro,' : ''}nocopy` : `${mount.source}:${mount.target}`,
        ),
        ...containerFiles.map((file, index) => `${toCompose(posix.join(options.projectDir, file.path))}:${container.files[index]!.path}:ro`),
        ...(dev ? [`${toCompose(dev.workspaceSource ?? options.projectDir)}:${dev.workspaceTarget}:cached`] : []),
      ],
      networkKeys,
      healthcheck: dev ? undefined : healthcheckFor(container, plan),
      dev: Boolean(dev),
      scoped,
      ...(dev && { workingDir: dev.workingDir ?? dev.workspaceTarget }),
    });
    if (container.netnsStep) services[netnsServiceName(container.node)] = netnsService(plan, container, container.netnsStep, imageFor(plan, VPP_NODE, options, toCompose), scoped);
  }

  // The Compose Specification's form: no `version:` (obsolete; Compose v2 warns about it). Debian's
  // docker-compose 1.29 reads this form too and keeps `depends_on: condition: service_healthy`. No
  // top-level `name:` either, which 1.29 rejects: the project's name is the folder's, or -p.
  const document = {
    services,
    volumes: Object.fromEntries(
      plan.volumes.map((volume) => [volumeKeys.get(volume.name), scoped ? {} : { name: volume.name, labels: volume.labels }]),
    ),
    ...(plan.networks.length && {
      networks: Object.fromEntries(
        plan.networks.map((network) => [
          networkKeys.get(network.name),
          {
            ...(!scoped && { name: network.name }),
            driver: 'bridge',
            ...(!scoped && { labels: network.labels }),
            ...(network.subnet && { ipam: { driver: 'default', config: [{ subnet: network.subnet, gateway: network.gateway }] } }),
          },
        ]),
      ),
    }),
  };
  // YAML 1.1, as docker-compose v1 reads it (PyYAML): strings such as on, no or 1:30 are quoted, not
  // read back as booleans and sexagesimal numbers.
  return { text: stringify(escapeDollars(document), { version: '1.1', lineWidth: 0 }), files };
}

function service(
  plan: Plan,
  container: PlannedContainer,
  parts: {
    image?: string;
    build?: unknown;
    command: string[] | undefined;
    volumes: string[];
    networkKeys: ReadonlyMap<string, string | undefined>;
    healthcheck: unknown;
    dev: boolean;
    scoped: boolean;
    workingDir?: string;
  },
): Record<string, unknown> {
  const { [LABEL.configHash]: configHash, ...labels } = container.labels;
  const mode = container.networkMode;
  return {
    ...(parts.image !== undefined && { image: parts.image }),
    ...(parts.build !== undefined && { build: parts.build }),
    ...(!parts.scoped && { container_name: container.name }),
    ...(container.hostname && { hostname: container.hostname }),
    ...(parts.command && { command: parts.command }),
    ...(parts.workingDir && { working_dir: parts.workingDir }),
    ...(container.user && { user: container.user.value }),
    ...(container.groups.length && { group_add: container.groups.map((grant) => grant.value) }),
    ...(Object.keys(container.env).length && { environment: parts.dev ? devEnvironment(container) : container.env }),
    ...(container.onlyPlannedCapabilities && { cap_drop: ['ALL'] }),
    ...(container.capabilities.length && { cap_add: container.capabilities.map((grant) => grant.value) }),
    ...(container.devices.length && { devices: container.devices.map((grant) => `${grant.value}:${grant.value}:rwm`) }),
    ...(container.privileged && { privileged: true }),
    // A dev container's process is the developer's shell: never restarted, never killed by the guard.
    ...(container.restart !== 'no' && !parts.dev && { restart: container.restart }),
    ...(container.vppRestartGuard && !parts.dev && { init: true }),
    ...(parts.volumes.length && { volumes: parts.volumes }),
    ...(mode.kind === 'bridge' && { network_mode: 'bridge' }),
    ...(mode.kind === 'container' && { network_mode: `service:${mode.node}` }),
    ...(mode.kind === 'networks' && {
      networks: Object.fromEntries(
        container.networks.map((network, index) => [
          parts.networkKeys.get(network.network),
          {
            ...(network.ipv4 && { ipv4_address: network.ipv4 }),
            // The first is the primary (NetworkMode), as in `up`: compose picks the highest priority.
            ...(index === 0 && container.networks.length > 1 && { priority: 100 }),
          },
        ]),
      ),
    }),
    // A dev container is not the app `vppkit up` plans: without the hash, up sees it as changed.
    ...(!parts.scoped && { labels: parts.dev ? labels : { ...labels, [LABEL.configHash]: configHash } }),
    ...(container.dependsOn.length && {
      depends_on: Object.fromEntries(container.dependsOn.map((node) => [node, { condition: dependsOnCondition(plan, node) }])),
    }),
    ...(parts.healthcheck !== undefined && { healthcheck: parts.healthcheck }),
  };
}

/**
 * A dev container's shells, compilers and editors' helpers are not the app's own process: what the
 * path meant for that process alone (vcl-ldpreload's LD_PRELOAD) is offered as VPPKIT_<key>, for the
 * commands that want it.
 */
export const devEnvName = (key: string): string => `VPPKIT_${key}`;

function devEnvironment(container: PlannedContainer): Record<string, string> {
  const processOnly = new Set(container.processOnlyEnv);
  return Object.fromEntries(Object.entries(container.env).map(([key, value]) => [processOnly.has(key) ? devEnvName(key) : key, value]));
}

/** Healthy when the node has readiness checks of its own (its health check), else started. */
function dependsOnCondition(plan: Plan, node: string): string {
  const container = plan.containers.find((candidate) => candidate.node === node);
  return container && ownReadiness(plan, container).length ? 'service_healthy' : 'service_started';
}

/** VPP's readiness checks that run in VPP, or an app's that run in the app. */
function ownReadiness(plan: Plan, container: PlannedContainer): PlannedCheck[] {
  return (container.role === 'vpp' ? plan.vppReady : plan.appsReady).filter((check) => check.node === container.node);
}

/**
 * A container's readiness checks that run in it, as one shell command: VPP's are the same checks
 * `vppkit up` waits for before it starts the apps. Checks an app's readiness runs in VPP stay with
 * `vppkit check`/`up`: a compose health check sees only its own container.
 */
function healthcheckFor(container: PlannedContainer, plan: Plan): unknown {
  const own = ownReadiness(plan, container);
  // The guard always exits 0 (in a subshell: its `exit` ends only it), so readiness still decides health.
  const guard = container.vppRestartGuard ? [`( ${container.vppRestartGuard.script} )`] : [];
  if (!own.length && !guard.length) return undefined;
  return {
    test: ['CMD-SHELL', [...guard, ...own.map(checkAsShell)].join(' && ')],
    interval: '3s',
    timeout: '10s',
    retries: 20,
    start_period: '10s',
  };
}

/**
 * Exit status 0, and when the check expects a pattern, output that matches it: Perl syntax, as the
 * plan's are JS; without vppctl's CRs, which end lines for JS's multiline $ but not for grep's.
 */
export function checkAsShell(check: PlannedCheck): string {
  const command = checkCommand(check.run).map(shellQuote).join(' ');
  if (check.expect === undefined) return `${command} >/dev/null`;
  return `{ out=$(${command}) && printf '%s\\n' "$out" | tr -d '\\r' | grep -Pq ${shellQuote(check.expect)}; }`;
}

/**
 * A service's image: the plan's ref, and for an app built from source, the build that makes it
 * (compose tags the result with the ref); or the caller's ref or build in its place.
 */
function imageFor(plan: Plan, key: string, options: ComposeOptions, toCompose: (path: string) => string): { image?: string; build?: unknown } {
  const override = options.images?.get(key);
  if (override) {
    return { build: { context: toCompose(override.context), ...(override.target && { target: override.target }), ...(override.args && { args: override.args }) } };
  }
  const image = plan.images.find((candidate) => candidate.key === key);
  if (!image) throw new Error(`the plan has no image ${key}`);
  if (image.source.kind !== 'build') return { image: image.ref };
  const appDev = plan.images.find((candidate) => candidate.source.kind === 'app-dev')!;
  return { image: image.ref, build: { context: toCompose(image.source.context), args: { [APP_DEV_ARG]: appDev.ref } } };
}

/** vppkit-<lab>_run -> run: the key a compose file uses for a lab resource. */
function shortName(lab: string, name: string): string {
  const prefix = `vppkit-${lab}_`;
  return name.startsWith(prefix) ? name.slice(prefix.length) : name;
}

/** Compose interpolates $VAR in every value; a literal $ is written $$. */
function escapeDollars(value: unknown): unknown {
  if (typeof value === 'string') return value.replaceAll('$', '$$$$');
  if (Array.isArray(value)) return value.map(escapeDollars);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, escapeDollars(item)]));
  return value;
}

/** Node names are DNS labels, which have no '_': this never clashes with a node's own service. */
export const netnsServiceName = (node: string): string => `${node}_netns`;

/**
 * A path's set-up of the app's network namespace, as `up` runs it: once the app has started, from
 * VPP's image, with only the step's capabilities; it exits when done.
 */
function netnsService(plan: Plan, container: PlannedContainer, step: NetnsStep, image: { image?: string; build?: unknown }, scoped: boolean): Record<string, unknown> {
  return {
    ...image,
    command: ['/bin/sh', '-c', step.script],
    // Root, as `up` runs it, whatever the VPP image's USER.
    user: '0',
    network_mode: `service:${container.node}`,
    cap_drop: ['ALL'],
    cap_add: step.capabilities.map((grant) => grant.value),
    restart: 'no',
    ...(!scoped && { labels: { ...plan.labels, [LABEL.node]: netnsServiceName(container.node) } }),
    depends_on: { [container.node]: { condition: 'service_started' } },
  };
}
