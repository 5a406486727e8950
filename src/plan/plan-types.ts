import type { Labels } from './labels.js';
import type { PathName, VppSource } from '../lab/lab-model.js';
import type { VppDefect } from '../paths/vpp-version.js';
import type { Grant, ImageNeed, NetnsStep, PlannedCheck, PlannedFile } from '../paths/wiring.js';

export type { CheckRun, Grant, ImageNeed, NetnsStep, PlannedCheck, PlannedFile } from '../paths/wiring.js';

/**
 * Everything a lab needs, as plain data: `vppkit up` applies it through the engine, and the compose
 * and devcontainer exports render it. Nothing here talks to Docker.
 */
export interface Plan {
  lab: string;
  labFile: string;
  /** Hash of the plan's content; a resource whose label differs is out of date. */
  configHash: string;
  labels: Labels;
  images: PlannedImage[];
  volumes: PlannedVolume[];
  networks: PlannedNetwork[];
  /** In start order: VPP first, then the apps. */
  containers: PlannedContainer[];
  /** VPP's rendered configuration (also among the VPP container's files). */
  vpp: { startupConf: string; setupCli: string; plugins: string[]; hugepages: false | { size: string } };
  /** Before the apps start: VPP answers and has applied its configuration. */
  vppReady: PlannedCheck[];
  /** After the apps start: each is up and wired. */
  appsReady: PlannedCheck[];
  smoke: PlannedCheck[];
  /** Known VPP defects the lab's apps would meet, for `up` to match against the VPP it runs. */
  vppDefects: PlannedDefect[];
}

export interface PlannedDefect extends VppDefect {
  /** The lab's apps it concerns. */
  apps: string[];
}

export type ImageSource =
  | { kind: 'vpp'; vpp: VppSource }
  /** The lab's VPP image plus the C toolchain and libmemif: what app Dockerfiles and dev containers start from. */
  | { kind: 'app-dev' }
  | { kind: 'build'; context: string }
  | { kind: 'pull'; image: string };

export interface PlannedImage {
  /** The plan's own key for the image ("vpp", "app-dev", "app:<name>"); the engine maps it to a tag. */
  key: string;
  source: ImageSource;
  /**
   * The name compose and devcontainer files use. For VPP and app-dev, `vppkit build` (and `up`) tag
   * the images they resolve with it; a built app's is the tag compose gives its own build.
   */
  ref: string;
}

export interface PlannedVolume {
  name: string;
  target: string;
  labels: Labels;
  why: string;
}

export interface PlannedNetwork {
  name: string;
  /** Absent: the engine picks one from its own address pools. */
  subnet?: string;
  gateway?: string;
  labels: Labels;
  why: string;
}

export type PlannedMount =
  | { type: 'volume'; source: string; target: string; readOnly?: boolean }
  | { type: 'bind'; source: string; target: string; why: string };

/**
 * bridge: Docker's default bridge. networks: only the container's planned networks (the first is its
 * primary), as compose can attach a service to user-defined networks but not also to the default
 * bridge. container: another node's network namespace.
 */
export type NetworkMode = { kind: 'bridge' } | { kind: 'networks' } | { kind: 'container'; node: string };

export interface PlannedContainer {
  node: string;
  role: 'vpp' | 'app';
  path?: PathName;
  name: string;
  hostname?: string;
  image: string;
  command?: string[];
  env: Record<string, string>;
  /** Keys of env meant for the app's own process only: a dev container offers them as VPPKIT_<key>. */
  processOnlyEnv?: string[];
  mounts: PlannedMount[];
  /**
   * Docker's User ("uid:gid") with the reason; absent: the image's own user, which the kit leaves to
   * the image (apps come in their users' images).
   */
  user?: Grant;
  /** Supplementary groups, by number (Docker's GroupAdd, compose's group_add). */
  groups: Grant[];
  capabilities: Grant[];
  /** true: the container has these capabilities and no others (the engine's default set is dropped). */
  onlyPlannedCapabilities: boolean;
  devices: Grant[];
  networkMode: NetworkMode;
  /** Its networks (see NetworkMode), with its static address where it has one. */
  networks: { network: string; ipv4?: string }[];
  privileged: boolean;
  labels: Labels;
  dependsOn: string[];
  files: PlannedFile[];
  /** An app's: what its image must be (its path's needs); `up` checks them before the app starts. */
  imageNeeds?: ImageNeed[];
  /** An app's: run in its network namespace from VPP's image once it started (compose: a one-shot service). */
  netnsStep?: NetnsStep;
  /** An app's: whether it can run as a non-root user, and why (its path's fact). */
  nonRoot?: { works: boolean; why: string };
  /** An app's: whether it is wired again by itself after VPP restarts (its path's fact). */
  afterVppRestart?: { rewiresItself: boolean; why: string };
  /**
   * An app that cannot reattach to a restarted VPP: the engine runs `script` in it every
   * `intervalSeconds` (a health check) under an init process of the engine's, and the script kills the
   * app when VPP started after it, for the restart policy to start it again.
   */
  vppRestartGuard?: { script: string; intervalSeconds: number };
  /** The engine's restart policy (compose's `restart:`); see VPP_RESTART in build-plan. */
  restart: RestartPolicy;
}

/** Docker's names: 'no' never restarts; 'on-failure' restarts a process that exits non-zero, never one the user stopped. */
export type RestartPolicy = 'no' | 'on-failure';
