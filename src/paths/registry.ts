import type { PathName } from '../lab/lab-model.js';
import { afXdp } from './af-xdp.js';
import { memif } from './memif.js';
import { tap } from './tap.js';
import { vcl } from './vcl.js';
import { vclLdpreload } from './vcl-ldpreload.js';
import type { VppPath } from './vpp-path.js';

/** Every path, registered in one place. */
export const PATHS: { [P in PathName]: VppPath<P> } = {
  memif,
  tap,
  af_xdp: afXdp,
  vcl,
  'vcl-ldpreload': vclLdpreload,
};

export function pathOf<P extends PathName>(name: P): VppPath<P> {
  return PATHS[name];
}
