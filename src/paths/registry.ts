import { afPacket } from './af-packet.js';
import { afXdp } from './af-xdp.js';
import { memif } from './memif.js';
import { tap } from './tap.js';
import { vcl } from './vcl.js';
import { vclLdpreload } from './vcl-ldpreload.js';
import type { AppOf, VppPath } from './vpp-path.js';

/**
 * Every path, registered in one place: the lab file's path names, the schema's enum and option
 * blocks, create-vpp-app's flags and chooser, doctor's rows and the README's table all come from here.
 */
export const PATHS = {
  memif,
  tap,
  af_xdp: afXdp,
  af_packet: afPacket,
  vcl,
  'vcl-ldpreload': vclLdpreload,
} as const;

type Registered = typeof PATHS;
type Name = keyof Registered;
/** The options type of path P, as its module declares it. */
export type OptionsIn<P extends Name> = Registered[P] extends VppPath<P, infer O> ? O : never;

export const PATH_NAMES = Object.keys(PATHS) as Name[];

/**
 * The module of an app's path, typed for that app: the one place an app's path name is matched to its
 * module (TypeScript cannot follow a union of apps into a union of modules by itself).
 */
export function forPath<P extends Name>(app: AppOf<P, OptionsIn<P>>): VppPath<P, OptionsIn<P>> {
  return PATHS[app.path] as unknown as VppPath<P, OptionsIn<P>>;
}

/** A path's module by name, whatever its options. */
export function pathModule(name: Name): VppPath<Name, unknown> {
  return PATHS[name] as VppPath<Name, unknown>;
}
