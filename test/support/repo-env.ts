import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * This repository's test environment. Users default to a registry base image; the tests here run
 * offline, on the debootstrap import that scripts/base-image.sh makes under this tag.
 */
export const OFFLINE_BASE_IMAGE = 'vppkit/debian-base:bookworm';

/** Where a VPP built by hand is installed by convention (CMAKE_INSTALL_PREFIX), libmemif included. */
export const CONVENTIONAL_VPP_PREFIX = '/opt/vpp';

/** Fills the defaults `.ci/run` exports, so `npm test` on a set-up machine runs what CI runs. */
export function applyRepoTestDefaults(env: NodeJS.ProcessEnv = process.env): void {
  env.VPPKIT_BASE_IMAGE ||= OFFLINE_BASE_IMAGE;
  if (!env.VPPKIT_VPP_PREFIX && existsSync(join(CONVENTIONAL_VPP_PREFIX, 'bin', 'vpp'))) {
    env.VPPKIT_VPP_PREFIX = CONVENTIONAL_VPP_PREFIX;
  }
}
