import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type Docker from 'dockerode';
import { buildImage } from '../engine/build-image.js';
import { imageExists } from '../engine/pull-image.js';
import type { Labels } from '../engine/labels.js';
import { packContext } from './build-context.js';
import { combineFingerprints, fingerprintTree } from './fingerprint.js';
import { baseBuildArgs, kitImageDir } from './kit-images.js';
import { prefixRuntimeLibraries } from './prefix-runtime-libs.js';

export const VPP_PREFIX_REPOSITORY = 'vppkit/vpp-prefix';

export interface PrefixImage {
  tag: string;
  /** False when an image with the same inputs already existed and nothing was built. */
  built: boolean;
  /** Libraries the prefix needs that this host could not resolve (soname to the files needing it). */
  missing: Map<string, string[]>;
}

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
 * prefix links (as this host resolves them), and the prefix at /opt/vpp. Tagged by a hash of the Dockerfile folder, the base image
 * and the prefix, so an unchanged prefix reuses the image and a rebuilt one makes a new tag.
 */
export async function ensurePrefixImage(
  docker: Docker,
  prefix: string,
  options: { env?: NodeJS.ProcessEnv; labels?: Labels; onLine?: (line: string) => void } = {},
): Promise<PrefixImage> {
  const absolute = assertVppPrefix(prefix);
  const imageDir = kitImageDir('vpp-prefix');
  const buildArgs = baseBuildArgs(options.env);
  const tag = `${VPP_PREFIX_REPOSITORY}:${combineFingerprints({
    dockerfile: await fingerprintTree(imageDir, { contents: true }),
    prefix: await fingerprintTree(absolute, { contents: false }),
    ...buildArgs,
  })}`;
  if (await imageExists(docker, tag)) return { tag, built: false, missing: new Map() };
  const { libraries, companions, missing } = await prefixRuntimeLibraries(absolute);
  await buildImage(docker, {
    context: packContext(
      [
        { from: imageDir, to: '.' },
        { from: absolute, to: 'prefix' },
      ],
      [...libraries, ...companions].map(([name, file]) => ({ from: file, to: `runtime-libs/${name}` })),
    ),
    tag,
    buildArgs,
    ...(options.labels && { labels: options.labels }),
    ...(options.onLine && { onLine: options.onLine }),
  });
  return { tag, built: true, missing };
}
