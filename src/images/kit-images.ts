import { join } from 'node:path';
import { resolveBaseImage } from '../config/defaults.js';
import { releaseSources, type ReleaseSource, type VppSource } from '../lab/lab-core.js';
import { packageRoot } from '../util/package-root.js';

/**
 * The images the kit builds, one folder each under images/. Every Dockerfile starts with
 * `ARG BASE_IMAGE` + `FROM ${BASE_IMAGE}` so the same files build on a registry image or on an
 * offline debootstrap import.
 */
export const KIT_IMAGES = {
  /** VPP from FD.io's packages for one release. */
  'vpp-release': 'vpp-release',
  /** VPP from a local install prefix (a developer's own build), packed with its runtime libraries. */
  'vpp-prefix': 'vpp-prefix',
  /** The lab's VPP image plus a C toolchain, VPP's headers and libmemif: what app images build on. */
  'app-dev': 'app-dev',
} as const;

export type KitImage = keyof typeof KIT_IMAGES;

export const BASE_IMAGE_ARG = 'BASE_IMAGE';

/** Build argument app Dockerfiles take their base from (templates: FROM ${VPPKIT_APP_DEV_IMAGE}). */
export const APP_DEV_ARG = 'VPPKIT_APP_DEV_IMAGE';

export function kitImageDir(image: KitImage): string {
  return join(packageRoot(), 'images', KIT_IMAGES[image]);
}

/** Build arguments every kit image gets. */
export function baseBuildArgs(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  return { [BASE_IMAGE_ARG]: resolveBaseImage(env) };
}

/**
 * images/vpp-release's build arguments: the release, and the repository and key it installs from
 * (FD.io's unless the lab names a mirror). Always given, so the image's tag changes with them.
 */
export function vppReleaseBuildArgs(source: ReleaseSource, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const { aptRepository, aptKey } = releaseSources(source);
  return { ...baseBuildArgs(env), VPP_RELEASE: source.release, VPP_APT_REPOSITORY: aptRepository, VPP_APT_KEY: aptKey };
}

/**
 * images/app-dev's build arguments: the lab's VPP image, and for a release where VPP's source (for
 * libmemif) comes from. Other VPPs bring libmemif or their own headers, and the Dockerfile's default
 * serves an image that happens to hold FD.io's packages.
 */
export function appDevBuildArgs(vppImage: string, source: VppSource): Record<string, string> {
  return {
    [BASE_IMAGE_ARG]: vppImage,
    ...(source.kind === 'release' && { VPP_SOURCE_TARBALL: releaseSources(source).sourceTarball }),
  };
}
