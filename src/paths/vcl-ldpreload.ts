import {
  checkVclNamespaces,
  resolveVclOptions,
  vclAppContribution,
  vclAttached,
  vclConfigured,
  vclListening,
  vclNonRoot,
  vclPathBase,
  vclVppContribution,
  VCL_LIB_DIR,
  type VclOptions,
} from './vcl-common.js';
import { escapeRegExp } from './common.js';
import type { VppPath } from './vpp-path.js';
import type { VppDefect } from './vpp-version.js';

/** By absolute path, in the volume VPP fills (VCL_LIB_DIR): any image can preload it. */
export const LDPRELOAD_LIBRARY = `${VCL_LIB_DIR}/libvcl_ldpreload.so`;

/**
 * VPP commit b09afccaeaf ("vcl: strip ignorable flags", 2026-06-18) clears MSG_DONTWAIT in LDP's
 * recv() before it asks whether the descriptor is VPP's, so a kernel socket's recv(MSG_DONTWAIT)
 * blocks. socat reads its signal socketpair that way before it listens, so it never listens.
 */
export const LDP_RECV_DROPS_DONTWAIT: VppDefect = {
  id: 'ldp-recv-dontwait',
  introduced: '26.10-rc0~154',
  summary:
    'LDP\'s recv() drops MSG_DONTWAIT on every descriptor, kernel sockets included (VPP commit b09afccaeaf, ' +
    '"vcl: strip ignorable flags"): a preloaded app that polls a socketpair or unix socket with ' +
    'recv(MSG_DONTWAIT) blocks there (socat does, before it listens, so it never listens)',
  fix:
    'use a VPP older than v26.10-rc0~154, or one whose src/vcl/ldp.c strips those flags only for VPP\'s own ' +
    'sessions (inside recv()\'s vlsh branch); apps that never recv(MSG_DONTWAIT) on kernel sockets, like ' +
    'the sockets-echo template or iperf3, are not affected',
};

export const vclLdpreload: VppPath<'vcl-ldpreload', VclOptions> = {
  ...vclPathBase,
  name: 'vcl-ldpreload',
  flag: 'vcl-ldpreload',
  summary: 'an unmodified sockets app, redirected into VPP\'s session layer by LD_PRELOAD',
  prose: {
    title: 'VCL, LD_PRELOAD',
    sees: 'its usual BSD sockets, redirected into VPP\'s session layer by `libvcl_ldpreload.so`',
    useWhen: 'an unmodified sockets app should skip the kernel',
    costs: 'nothing to rebuild, but not every app works unmodified: try it',
    howItWorks:
      'The app keeps its ordinary BSD sockets; LD_PRELOAD of libvcl_ldpreload.so moves them into VPP\'s session layer, no kernel in the data path.\nNo code changes, though not every program works unmodified.',
    devContainerGets: 'as vcl; start programs with `LD_PRELOAD=$VPPKIT_LD_PRELOAD`',
  },
  chooser: {
    handles: ['sockets'],
    codeChanges: false,
    kernelHairpin: false,
    preference: 1,
    because: 'LD_PRELOAD redirects its sockets into VPP\'s session layer',
  },
  // Measured with the sockets-echo template: its server blocks in accept() for good, and VPP has no app.
  afterVppRestart: { rewiresItself: false, why: 'a preloaded app blocked in accept() or recv() never notices that VPP\'s session layer forgot it' },
  nonRoot: vclNonRoot('; the preload library is an ordinary shared library (a set-user-ID program would ignore LD_PRELOAD, not a non-root one)'),
  template: 'sockets-echo',
  resolveOptions: (app, lab) => resolveVclOptions(app, lab),
  checkLab: checkVclNamespaces,
  vpp: (app, lab, names) => vclVppContribution(app, lab, names),
  // Only the app's own process is preloaded: a dev container's shells and compilers are not.
  app: (app, lab, names) =>
    vclAppContribution(app, lab, names, {
      env: { LD_PRELOAD: LDPRELOAD_LIBRARY, LDP_APP_NAME: app.name },
      processOnlyEnv: ['LD_PRELOAD'],
      why: 'the dynamic loader preloads libvcl_ldpreload.so into the app\'s program; a program it does not load (static, musl, too old a glibc) would quietly stay on the kernel\'s sockets',
    }),
  // LDP names the app "<LDP_APP_NAME>-ldp-<pid>".
  vppReady: (app, _lab, names) => vclConfigured(app, names.vppNode),
  // LDP names the app "<LDP_APP_NAME>-ldp-<pid>".
  appReady: (app, _lab, names) => [vclAttached(app, names.vppNode, `${escapeRegExp(app.name)}-ldp-\\d+`)],
  smoke: (app, lab, names) => vclListening(app, lab, names.vppNode),
  knownDefects: [LDP_RECV_DROPS_DONTWAIT],
};
