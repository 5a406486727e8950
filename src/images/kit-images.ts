import { join } from 'node:path';
import { resolveBaseImage } from '../config/defaults.js';
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
