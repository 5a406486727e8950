import { aptKeyOf, DEFAULT_VPP_SOURCE_TARBALL, fdioAptRepository } from '../config/defaults.js';
import type { InterfaceAddress, Ipv4Network } from './ipv4.js';

// The lab as the paths see it: everything but what each path owns (its name, its options' type).

/**
 * Where a release's packages, their signing key and VPP's source (for libmemif) come from, as the lab
 * gives them: a company's mirror of FD.io. Absent means FD.io's own (see releaseSources).
 */
export interface ReleaseMirror {
  aptRepository?: string;
  aptKey?: string;
  /** A URL in which {ref} stands for the git ref the installed version was built from. */
  sourceTarball?: string;
}

export type ReleaseSource = { kind: 'release'; release: string } & ReleaseMirror;

export type VppSource =
  | ReleaseSource
  | { kind: 'image'; image: string }
  | { kind: 'prefix'; prefix: string };

export interface LabVpp {
  source: VppSource;
  workers: number;
  /** false: 4K buffer pages; otherwise the main heap size on 2 MB hugepages. */
  hugepages: false | { size: string };
  /** Extra plugins the lab asks for, beyond the paths' own. */
  plugins: string[];
  /** Extra startup.conf stanzas: name to body. */
  startup: Record<string, string>;
  cli: string[];
  privileged: boolean;
}

export type AppSource = { kind: 'build'; context: string } | { kind: 'image'; image: string };

/** What every app of a lab has, whatever its path. */
export interface LabAppCore {
  name: string;
  /** Position in the lab file's apps list (stable order for numbering). */
  index: number;
  source: AppSource;
  command?: string[];
  env: Record<string, string>;
  port: number;
  check?: string[];
  privileged: boolean;
  /** The app's side and VPP's side of its link; where VPP hosts the app's address (vcl paths), `vpp` equals `app`. */
  link: { subnet: Ipv4Network; app: InterfaceAddress; vpp: InterfaceAddress };
  /** Its path's name, and that path's resolved options (typed by the path's own module). */
  path: string;
  options: unknown;
}

/** A validated lab with every default filled in, seen without its paths' own types (see lab-model.ts). */
export interface LabCore<App extends LabAppCore = LabAppCore> {
  name: string;
  /** Absolute path of the lab file, and its folder (relative paths in it are resolved from there). */
  file: string;
  dir: string;
  pool: Ipv4Network;
  vpp: LabVpp;
  apps: App[];
}

/** A release's sources with FD.io's defaults filled in: the key beside the repository unless given. */
export function releaseSources(source: ReleaseSource): Required<ReleaseMirror> {
  const aptRepository = source.aptRepository ?? fdioAptRepository(source.release);
  return {
    aptRepository,
    aptKey: source.aptKey ?? aptKeyOf(aptRepository),
    sourceTarball: source.sourceTarball ?? DEFAULT_VPP_SOURCE_TARBALL,
  };
}
