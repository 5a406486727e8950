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

export const vcl: VppPath<'vcl'> = {
  name: 'vcl',
  summary: 'sockets without the kernel: the app links libvppcom and uses the VPPCOM API',
  optionsKey: 'vcl',
  template: 'vcl',
  // The session layer is part of VPP's core (vnet); no plugin to load.
  plugins: [],
  resolveOptions: (app, lab) => resolveVclOptions(app, lab),
  checkLab: checkVclNamespaces,
  vpp: (app, lab) => vclVppContribution(app, lab),
  app: (app, lab) => vclAppContribution(app, lab, {}),
  // The template's app attaches as VPPKIT_APP (vppcom_app_create takes the name from it).
  vppReady: (app, _lab, names) => vclConfigured(app, names.vppNode),
  appReady: (app, _lab, names) => [vclAttached(app, names.vppNode, escapeRegExp(app.name))],
  smoke: (app, _lab, names) => vclListening(app, names.vppNode),
};
