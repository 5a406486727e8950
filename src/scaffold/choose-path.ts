import type { PathName } from '../lab/lab-model.js';
import { PATH_NAMES, pathModule } from '../paths/registry.js';
import type { ChooserFit } from '../paths/vpp-path.js';

/** What create-vpp-app asks, following the guide to talking to applications from VPP. */
export interface Needs {
  /** Raw Ethernet/IP frames, or sockets. */
  handles: 'packets' | 'sockets';
  /** May the app's code change (to libmemif, or to the VPPCOM API)? */
  codeMayChange: boolean;
  /** Is a hairpin through the Linux kernel acceptable? */
  kernelHairpinOk: boolean;
}

export interface Recommendation {
  path: PathName;
  reason: string;
}

/** What this host lacks for a path (e.g. "/dev/vhost-net"), or undefined when it has all it needs. */
export type HostLacks = (path: PathName) => string | undefined;

/**
 * The path the answers point to, with a one-line reason: among the paths whose place in the guide
 * fits (each path module says where it sits), the preferred one this host can run.
 */
export function recommendPath(needs: Needs, hostLacks: HostLacks): Recommendation {
  const fitting = PATH_NAMES.filter((path) => fits(pathModule(path).chooser, needs)).sort(
    (a, b) => pathModule(a).chooser.preference - pathModule(b).chooser.preference,
  );
  const usable = fitting.find((path) => !hostLacks(path));
  // Where none can run here, the preferred one still is the answer, with what the host lacks.
  const chosen = usable ?? fitting[0];
  if (!chosen) throw new Error(`no path fits ${JSON.stringify(needs)}`);
  const skipped = fitting.slice(0, usable ? fitting.indexOf(usable) : fitting.length).map((path) => `no ${hostLacks(path)} for ${pathModule(path).prose.title}`);
  return { path: chosen, reason: `${asked(needs)}: ${pathModule(chosen).chooser.because}${skipped.length ? ` (this host has ${skipped.join(', ')})` : ''}` };
}

function fits(fit: ChooserFit, needs: Needs): boolean {
  if (!fit.handles.includes(needs.handles)) return false;
  // Through the kernel: an unchanged app, where packets may cross it.
  if (fit.kernelHairpin) return !fit.codeChanges && (needs.handles === 'packets' ? !needs.codeMayChange : needs.kernelHairpinOk);
  return fit.codeChanges === needs.codeMayChange && !(needs.handles === 'sockets' && needs.kernelHairpinOk);
}

function asked(needs: Needs): string {
  if (needs.handles === 'packets') return needs.codeMayChange ? 'raw packets, and the code may use libmemif' : 'raw packets from unchanged code';
  if (needs.kernelHairpinOk) return 'any sockets app, unchanged';
  return needs.codeMayChange ? 'sockets without the kernel, and the code may change' : 'sockets without the kernel from unchanged code';
}
