import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Pack } from 'tar-fs';
import { packContext } from './build-context.js';
import { combineFingerprints, fingerprintTree } from './fingerprint.js';
import { baseBuildArgs, kitImageDir } from './kit-images.js';
import { prefixRuntimeLibraries } from './prefix-runtime-libs.js';

export const VPP_PREFIX_REPOSITORY = 'vppkit/vpp-prefix';

/** Checks that a folder looks like a VPP install prefix before sending hundreds of MB to the engine. */
export function assertVppPrefix(prefix: string): string {
  const absolute = resolve(prefix);
  if (!existsSync(join(absolute, 'bin', 'vpp'))) {
    throw new Error(
      `${absolute} is not a VPP install prefix: it has no bin/vpp. Give the folder VPP was installed into (CMAKE_INSTALL_PREFIX, e.g. /opt/vpp)`,
    );
  }
  return absolute;
}

/**
 * The image for a lab whose VPP comes from a local install prefix: the base image, the libraries the
 * prefix links (as this host resolves them), and the prefix at /opt/vpp. Its tag is a hash of the
 * Dockerfile folder, the base image and the prefix, so an unchanged prefix reuses the image and a
 * rebuilt one makes a new tag.
 */
export async function prefixImageTag(prefix: string, env?: NodeJS.ProcessEnv): Promise<string> {
  const absolute = assertVppPrefix(prefix);
  return `${VPP_PREFIX_REPOSITORY}:${combineFingerprints({
    dockerfile: await fingerprintTree(kitImageDir('vpp-prefix'), { contents: true }),
    prefix: await fingerprintTree(absolute, { contents: false }),
    ...baseBuildArgs(env),
  })}`;
}

/** What building that image takes: its context (the Dockerfile, the prefix, its libraries) and arguments. */
export async function prefixImageBuild(
  prefix: string,
  env?: NodeJS.ProcessEnv,
): Promise<{ context: Pack; buildArgs: Record<string, string>; missing: Map<string, string[]> }> {
  const absolute = assertVppPrefix(prefix);
  const { libraries, companions, missing } = await prefixRuntimeLibraries(absolute);
  const context = packContext(
    [
      { from: kitImageDir('vpp-prefix'), to: '.' },
      { from: absolute, to: 'prefix' },
    ],
    [...libraries, ...companions].map(([name, file]) => ({ from: file, to: `runtime-libs/${name}` })),
  );
  return { context, buildArgs: baseBuildArgs(env), missing };
}
