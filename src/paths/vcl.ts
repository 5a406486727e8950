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
  type VclOptions,
} from './vcl-common.js';
import { escapeRegExp } from './common.js';
import type { VppPath } from './vpp-path.js';

export const vcl: VppPath<'vcl', VclOptions> = {
  ...vclPathBase,
  name: 'vcl',
  flag: 'vcl',
  summary: 'sockets without the kernel: the app links libvppcom and uses the VPPCOM API',
  prose: {
    title: 'VCL, native',
    sees: 'sockets, without the kernel, through the VPPCOM API (`vppcom.h`)',
    useWhen: 'the app wants sockets but not the kernel hairpin, and its socket code may change',
    costs: 'the app is reworked onto VPPCOM; the fastest sockets path',
    howItWorks:
      'The app opens sockets in VPP\'s own session layer through the VPPCOM API (libvppcom), with no kernel in the data path.\nIts code uses vppcom.h instead of BSD sockets.',
    devContainerGets: 'VPP\'s /run/vpp and a vcl.conf (VCL_CONFIG), libvppcom and vcl/vppcom.h',
  },
  chooser: {
    handles: ['sockets'],
    codeChanges: true,
    kernelHairpin: false,
    preference: 1,
    because: 'the VPPCOM API is the fastest sockets path',
  },
  afterVppRestart: {
    rewiresItself: false,
    // The template's server does reattach (measured): it waits in vppcom_epoll_wait, where VCL
    // reattaches (vcl_api_retry_attach) and listens again; an app blocked elsewhere never notices.
    why: 'VCL attaches again and re-adds its listeners only while the app waits in vppcom_epoll_wait; its connected sessions and their segments are gone',
  },
  nonRoot: vclNonRoot(''),
  template: 'vcl',
  resolveOptions: (app, lab) => resolveVclOptions(app, lab),
  checkLab: checkVclNamespaces,
  vpp: (app, lab, names) => vclVppContribution(app, lab, names),
  app: (app, lab, names) =>
    vclAppContribution(app, lab, names, {
      env: {},
      processOnlyEnv: [],
      why: 'the app\'s program is linked with libvppcom, which the dynamic loader finds in VPP\'s copy of VCL\'s libraries',
    }),
  // The template's app attaches as VPPKIT_APP (vppcom_app_create takes the name from it).
  vppReady: (app, _lab, names) => vclConfigured(app, names.vppNode),
  appReady: (app, _lab, names) => [vclAttached(app, names.vppNode, escapeRegExp(app.name))],
  smoke: (app, lab, names) => vclListening(app, lab, names.vppNode),
};
