import type { PathName } from '../lab/lab-model.js';

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

/** The path the answers point to, with a one-line reason. TAP v2 needs /dev/vhost-net; without it, AF_XDP. */
export function recommendPath(needs: Needs, host: { vhostNet: boolean }): Recommendation {
  const kernelPath = (what: string): Recommendation =>
    host.vhostNet
      ? { path: 'tap', reason: `${what}: TAP v2 gives it an ordinary Linux interface, through the kernel by vhost-net` }
      : { path: 'af_xdp', reason: `${what}: AF_XDP gives it an ordinary Linux interface through the kernel (this host has no /dev/vhost-net for TAP v2)` };

  if (needs.handles === 'packets') {
    return needs.codeMayChange
      ? { path: 'memif', reason: 'raw packets, and the code may use libmemif: frames over shared memory, no kernel, no capabilities' }
      : kernelPath('raw packets from unchanged code');
  }
  if (needs.kernelHairpinOk) return kernelPath('any sockets app, unchanged');
  return needs.codeMayChange
    ? { path: 'vcl', reason: 'sockets without the kernel, and the code may change: the VPPCOM API is the fastest sockets path' }
    : { path: 'vcl-ldpreload', reason: 'sockets without the kernel from unchanged code: LD_PRELOAD redirects them into VPP\'s session layer' };
}
