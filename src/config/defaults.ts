/**
 * Defaults a user gets without saying anything. Each one can be overridden; these are the only places
 * the values are written down.
 */

/** FD.io publishes bookworm, jammy and noble builds; a registry image most users already have. */
export const DEFAULT_BASE_IMAGE = 'ubuntu:24.04';

/** The newest FD.io release when this version of the kit was cut; labs pin it unless they say otherwise. */
export const DEFAULT_VPP_RELEASE = '26.06';

/**
 * FD.io's package repository for a release on packagecloud.io: one per release (fdio/2606 for
 * 26.06), its apt line `deb <repository>/<ID>/ <VERSION_CODENAME> main`. images/vpp-release falls back
 * to the same URL when it is built without one.
 */
export function fdioAptRepository(release: string): string {
  return `https://packagecloud.io/fdio/${release.replace('.', '')}`;
}

/** Where packagecloud serves a repository's signing key, and so where a mirror laid out as it is would. */
export function aptKeyOf(repository: string): string {
  return `${repository}/gpgkey`;
}

/**
 * VPP's source tarball for a git ref, where libmemif is built from for a release: GitHub's archive
 * of FD.io's repository takes tags (v26.06) and commits alike. {ref} is filled at build time, from
 * the installed package's version (images/app-dev/vpp-source-url.sh), which falls back to this URL.
 */
export const DEFAULT_VPP_SOURCE_TARBALL = 'https://github.com/FDio/vpp/archive/{ref}.tar.gz';

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
