/**
 * Defaults a user gets without saying anything. Each one can be overridden; these are the only places
 * the values are written down.
 */

/** FD.io publishes bookworm, jammy and noble builds; a registry image most users already have. */
export const DEFAULT_BASE_IMAGE = 'ubuntu:24.04';

/** The newest FD.io release when this version of the kit was cut; labs pin it unless they say otherwise. */
export const DEFAULT_VPP_RELEASE = '26.06';

/** Environment variables the kit reads. */
export const ENV = {
  /** Base image for every image the kit builds (offline labs and CI point it at a local debootstrap import). */
  baseImage: 'VPPKIT_BASE_IMAGE',
  /** A VPP install prefix built by hand; the vpp test tier needs one. */
  vppPrefix: 'VPPKIT_VPP_PREFIX',
} as const;

export function resolveBaseImage(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env[ENV.baseImage]?.trim();
  return fromEnv ? fromEnv : DEFAULT_BASE_IMAGE;
}
