import type { KeyPath } from '../lab/yaml-locator.js';
import type { Lab, LabAppOf, OptionsOf, PathName } from '../lab/lab-model.js';
import type { Grant, PlannedCheck, PlannedFile } from './wiring.js';
import type { VppDefect } from './vpp-version.js';

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
   * Names VPP's entry script resolves inside the container before VPP starts, because they are only
   * known there (the Linux name of the interface Docker gave VPP on a network). `@NAME@` in CLI lines.
   */
  resolve?: { name: string; interfaceWithAddress: string }[];
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
  files: PlannedFile[];
}

/**
 * One way an app talks to VPP. A path contributes to VPP's configuration and to both containers'
 * wiring, and says how to tell that the wiring works. Adding a path means one module like this and
 * one template folder.
 */
export interface VppPath<P extends PathName> {
  name: P;
  /** One line for menus and plans. */
  summary: string;
  /** The key of this path's options block in an app (memif, tap, af_xdp, vcl), if it has one. */
  optionsKey?: string;
  /** templates/<template> holds the app create-vpp-app scaffolds (paths may share one: tap, af_xdp and vcl-ldpreload run the same plain-sockets app). */
  template: string;
  /** VPP plugins the path needs, by name without _plugin.so. */
  plugins: readonly string[];
  resolveOptions(app: AppDraft, lab: { name: string }, report: Report): OptionsOf[P];
  /** Checks across all apps of this path in one lab (clashing ids, sockets, names). */
  checkLab?(apps: readonly (LabAppOf<P> & { at: KeyPath })[], report: Report): void;
  vpp(app: LabAppOf<P>, lab: Lab, names: PathNames): VppContribution;
  app(app: LabAppOf<P>, lab: Lab, names: PathNames): AppContribution;
  /**
   * VPP's side is configured for this app. VPP runs its CLI file after its CLI socket already
   * answers, so apps start only once these pass.
   */
  vppReady(app: LabAppOf<P>, lab: Lab, names: PathNames): PlannedCheck[];
  /** The app is up and wired (after it started). */
  appReady(app: LabAppOf<P>, lab: Lab, names: PathNames): PlannedCheck[];
  smoke(app: LabAppOf<P>, lab: Lab, names: PathNames): PlannedCheck;
  /** Defects of VPP releases that this path's apps meet; `up` names those of the VPP it runs. */
  knownDefects?: readonly VppDefect[];
}
