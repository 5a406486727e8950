import {
  checkVclNamespaces,
  resolveVclOptions,
  vclAppContribution,
  vclAttached,
  vclConfigured,
  vclListening,
  vclVppContribution,
} from './vcl-common.js';
import { escapeRegExp } from './common.js';
import type { VppPath } from './vpp-path.js';

/**
 * Found through the dynamic linker's search path, so the same value works for FD.io's packages
 * (/usr/lib/<triplet>) and for an install prefix registered with ldconfig.
 */
export const LDPRELOAD_LIBRARY = 'libvcl_ldpreload.so';

export const vclLdpreload: VppPath<'vcl-ldpreload'> = {
  name: 'vcl-ldpreload',
  summary: 'an unmodified sockets app, redirected into VPP\'s session layer by LD_PRELOAD',
  optionsKey: 'vcl',
  template: 'sockets-echo',
  // The session layer is part of VPP's core (vnet); no plugin to load.
  plugins: [],
  resolveOptions: (app, lab) => resolveVclOptions(app, lab),
  checkLab: checkVclNamespaces,
  vpp: (app, lab) => vclVppContribution(app, lab),
  app: (app, lab) => vclAppContribution(app, lab, { LD_PRELOAD: LDPRELOAD_LIBRARY, LDP_APP_NAME: app.name }),
  // LDP names the app "<LDP_APP_NAME>-ldp-<pid>".
  vppReady: (app, _lab, names) => vclConfigured(app, names.vppNode),
  // LDP names the app "<LDP_APP_NAME>-ldp-<pid>".
  appReady: (app, _lab, names) => [vclAttached(app, names.vppNode, `${escapeRegExp(app.name)}-ldp-\\d+`)],
  smoke: (app, _lab, names) => vclListening(app, names.vppNode),
};
