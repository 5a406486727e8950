import type { InterfaceAddress, Ipv4Network } from './ipv4.js';

/** The ways an app talks to VPP; each is one module under src/paths/. */
export const PATH_NAMES = ['memif', 'tap', 'af_xdp', 'vcl', 'vcl-ldpreload'] as const;
export type PathName = (typeof PATH_NAMES)[number];

export type VppSource =
  | { kind: 'release'; release: string }
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

export interface MemifOptions {
  id: number;
  /** Absolute path under /run/vpp. */
  socket: string;
  appRole: 'slave' | 'master';
  mode: 'ethernet' | 'ip';
  ringSize: number;
  bufferSize: number;
  queues: number;
  secret?: string;
}

export interface VclOptions {
  /** undefined: the default namespace. */
  namespace?: { id: string; secret: number };
  rxFifoSize: number;
  txFifoSize: number;
}

export interface AfXdpOptions {
  queues: number | 'all';
  zeroCopy: boolean;
}

export interface TapOptions {
  /** Numeric id of VPP's tap interface (tap<id>). */
  id: number;
  hostIfName: string;
  mtu: number;
}

export interface OptionsOf {
  memif: MemifOptions;
  tap: TapOptions;
  af_xdp: AfXdpOptions;
  vcl: VclOptions;
  'vcl-ldpreload': VclOptions;
}

export type AppSource = { kind: 'build'; context: string } | { kind: 'image'; image: string };

interface CommonApp {
  name: string;
  /** Position in the lab file's apps list (stable order for numbering). */
  index: number;
  source: AppSource;
  command?: string[];
  env: Record<string, string>;
  port: number;
  check?: string[];
  privileged: boolean;
  /** The app's side and VPP's side of its link; for vcl paths, `app` is hosted by VPP and `vpp` equals it. */
  link: { subnet: Ipv4Network; app: InterfaceAddress; vpp: InterfaceAddress };
}

export type LabAppOf<P extends PathName> = CommonApp & { path: P; options: OptionsOf[P] };
export type LabApp = { [P in PathName]: LabAppOf<P> }[PathName];

/** A validated lab with every default filled in: what the plan is made from. */
export interface Lab {
  name: string;
  /** Absolute path of the lab file, and its folder (relative paths in it are resolved from there). */
  file: string;
  dir: string;
  pool: Ipv4Network;
  vpp: LabVpp;
  apps: LabApp[];
}
