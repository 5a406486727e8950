import type { LabAppCore, LabCore } from '../lab/lab-core.js';
import type { KeyPath } from '../lab/yaml-locator.js';
import type { VppDefect } from './vpp-version.js';
import type { Grant, ImageNeed, NetnsStep, PlannedCheck, PlannedFile } from './wiring.js';

/** An app of path P, whose options are O. */
export type AppOf<P extends string, O> = LabAppCore & { path: P; options: O };

/** Reports a problem at a key path of the lab file. */
export type Report = (path: KeyPath, message: string, fix?: string) => void;

/** What the loader knows about an app when a path resolves its options. */
export interface AppDraft {
  name: string;
  index: number;
  /** The app's own options block (already schema-valid), if any. */
  raw: Record<string, unknown> | undefined;
  /** Key path of the app in the lab file, for reports. */
  at: KeyPath;
}

export interface PathNames {
  lab: string;
  vppNode: string;
  runVolume: string;
  /** Name of a per-app resource (network) of this lab. */
  resource(app: string, suffix: string): string;
}

/** What one app's path adds to the VPP node. */
export interface VppContribution {
  /** startup.conf stanza name to body lines. */
  startup?: Record<string, string[]>;
  cli: string[];
  capabilities?: Grant[];
  devices?: Grant[];
  /** Networks VPP joins for this app, with its static address there. */
  networks?: { name: string; subnet: string; gateway: string; ipv4: string; why: string }[];
  /**
   * Why VPP's own Linux stack needs a network of its own to reach others when VPP joins these
   * networks (an AF_XDP link hands every frame to VPP, so the kernel cannot use it).
   */
  egressWhy?: string;
  /**
   * Names VPP's entry script resolves inside the container before VPP starts, because they are only
   * known there (the Linux name of the interface Docker gave VPP on a network). `@NAME@` in CLI lines.
   */
  resolve?: { name: string; interfaceWithAddress: string }[];
  /** Volumes of the lab that VPP's container mounts (read-write), e.g. to hand apps files from VPP's image. */
  volumes?: { name: string; target: string; why: string }[];
  /** Blocks of shell VPP's entry script runs before VPP starts (in VPP's image, so they may use its tools); the same block from several apps runs once. */
  entrySteps?: string[];
}

/** What one app's path needs in the app's own container. */
export interface AppContribution {
  /** Mount the lab's /run/vpp volume (VPP's sockets). */
  runVolume: boolean;
  /** 'vpp': share VPP's network namespace (where VPP's tap puts the app's interface). */
  networkMode: 'bridge' | 'vpp';
  /** Networks the app joins, with its static address there. */
  networks?: { name: string; ipv4: string }[];
  capabilities?: Grant[];
  devices?: Grant[];
  env: Record<string, string>;
  /** Keys of env meant for the app's own process only, not every process in its container (LD_PRELOAD). */
  processOnlyEnv?: string[];
  files: PlannedFile[];
  /** Volumes VPP's side fills (see VppContribution.volumes), mounted read-only in the app. */
  readOnlyVolumes?: { name: string; target: string }[];
  /** What the app's image must be for this wiring to work; `up` checks it from the image's files before the app starts. */
  imageNeeds?: ImageNeed[];
  /** Set-up of the app's network namespace that its image cannot be asked to do (see NetnsStep). */
  netnsStep?: NetnsStep;
}

/** Something a path needs from the host, as data: preflight, doctor and create-vpp-app's chooser read it. */
export type HostNeed =
  | { kind: 'device'; path: string; why: string; fix: string }
  | { kind: 'xdp-sockets'; why: string };

/** How a path is described to people: create-vpp-app, `vppkit plan`, READMEs. */
export interface PathProse {
  /** The name people use, e.g. "TAP v2". */
  title: string;
  /** What the app sees. */
  sees: string;
  /** When to use it. */
  useWhen: string;
  /** What it costs. */
  costs: string;
  /** One sentence for a generated project's README: how it works. */
  howItWorks: string;
  /** What a dev container wired for this path gets (the Dev Container Template's notes). */
  devContainerGets: string;
}

/** Where a path sits among create-vpp-app's answers (the guide's questions), and why it fits. */
export interface ChooserFit {
  handles: readonly ('packets' | 'sockets')[];
  /** The app's code changes (to libmemif or VPPCOM). */
  codeChanges: boolean;
  /** Packets cross the Linux kernel. */
  kernelHairpin: boolean;
  /** Among paths that fit the same answers, the lower is offered first where the host allows it. */
  preference: number;
  /** Why it fits, after what the user said: "TAP v2 gives it an ordinary Linux interface ...". */
  because: string;
}

/**
 * One way an app talks to VPP. A path contributes to VPP's configuration and to both containers'
 * wiring, and says how to tell that the wiring works. Adding a path means one module like this and
 * one template folder.
 */
export interface VppPath<P extends string, O> {
  name: P;
  /** create-vpp-app's flag, without the dashes. */
  flag: string;
  /** One line for menus and plans. */
  summary: string;
  prose: PathProse;
  chooser: ChooserFit;
  /** What the host must have; an unmet need refuses `up` and shows in doctor. */
  hostNeeds: readonly HostNeed[];
  /**
   * How the app is addressed: 'link' gives VPP and the app one end each of a link; 'vpp-hosts-app'
   * has VPP host the app's address itself (the session layer), so there is no vpp-address.
   */
  addressing: 'link' | 'vpp-hosts-app';
  /** The key of this path's options block in an app (memif, tap, af_xdp, vcl), if it has one. */
  optionsKey?: string;
  /** The JSON Schema of that block (the lab file's schema is assembled from the paths'). */
  optionsSchema?: Record<string, unknown>;
  /**
   * After VPP restarts (a crash the engine restarted, `docker restart`, `up` replacing VPP), is the app
   * wired again with nothing done? If not, `vppkit restart` restarts the app once VPP is ready, and
   * `status` shows it stale until then.
   */
  afterVppRestart: { rewiresItself: boolean; why: string };
  /** Where one app of the path differs from afterVppRestart (its options say so). */
  afterVppRestartFor?(app: AppOf<P, O>): { rewiresItself: boolean; why: string };
  /**
   * Whether the app can run as a non-root user (its image's USER; the kit never sets one), given VPP's
   * group, and why: what it needs from VPP or the kernel, and who holds the rights for it.
   */
  nonRoot: { works: boolean; why: string };
  /** templates/<template> holds the app create-vpp-app scaffolds (paths may share one: tap, af_xdp and vcl-ldpreload run the same plain-sockets app). */
  template: string;
  /** VPP plugins the path needs, by name without _plugin.so. */
  plugins: readonly string[];
  resolveOptions(app: AppDraft, lab: { name: string }, report: Report): O;
  /** Checks across all apps of this path in one lab (clashing ids, sockets, names). */
  checkLab?(apps: readonly (AppOf<P, O> & { at: KeyPath })[], report: Report): void;
  vpp(app: AppOf<P, O>, lab: LabCore, names: PathNames): VppContribution;
  app(app: AppOf<P, O>, lab: LabCore, names: PathNames): AppContribution;
  /**
   * VPP's side is configured for this app. VPP runs its CLI file after its CLI socket already
   * answers, so apps start only once these pass.
   */
  vppReady(app: AppOf<P, O>, lab: LabCore, names: PathNames): PlannedCheck[];
  /**
   * VPP's interface to the app as `show interface` lists it, for READMEs ('link' paths; a placeholder
   * where only VPP's container knows the name).
   */
  vppInterface?(app: AppOf<P, O>, lab: LabCore): string;
  /** The app is up and wired (after it started). */
  appReady(app: AppOf<P, O>, lab: LabCore, names: PathNames): PlannedCheck[];
  smoke(app: AppOf<P, O>, lab: LabCore, names: PathNames): PlannedCheck;
  /** Defects of VPP releases that this path's apps meet; `up` names those of the VPP it runs. */
  knownDefects?: readonly VppDefect[];
}
