/**
 * startup.conf stanzas that belong to a plugin (VPP 26.06's VLIB_CONFIG_FUNCTION registrations in
 * src/plugins): VPP rejects them as unknown input unless that plugin is loaded, so a lab may only add
 * one together with its plugin.
 */
export const PLUGIN_STANZAS: Readonly<Record<string, string>> = {
  dpdk: 'dpdk',
  'linux-cp': 'linux_cp',
  'linux-nl': 'linux_nl',
  'acl-plugin': 'acl',
  http: 'http',
  quic: 'quic',
  cnat: 'cnat',
  dns: 'dns',
  crypto_sw_scheduler: 'crypto_sw_scheduler',
  ct6: 'ct6',
  fateshare: 'fateshare',
  l2tp: 'l2tp',
  mactime: 'mactime',
  nsim: 'nsim',
  pvti: 'pvti',
  selog: 'selog',
  'vhost-user': 'vhost',
};

/** Default main heap on hugepages when the lab says only `hugepages: true`. */
export const DEFAULT_HUGEPAGE_HEAP = '256M';
