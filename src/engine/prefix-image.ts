import type Docker from 'dockerode';
import { prefixImageBuild, prefixImageTag } from '../images/vpp-prefix-image.js';
import { buildImage } from './build-image.js';
import { imageExists } from './pull-image.js';

export interface PrefixImage {
  tag: string;
  /** False when an image with the same inputs already existed and nothing was built. */
  built: boolean;
  /** Libraries the prefix needs that this host could not resolve (soname to the files needing it). */
  missing: Map<string, string[]>;
}

/** The image of a VPP install prefix (see prefixImageTag), built unless the engine already has it. */
export async function ensurePrefixImage(
  docker: Docker,
  prefix: string,
  options: { env?: NodeJS.ProcessEnv; onLine?: (line: string) => void; signal?: AbortSignal } = {},
): Promise<PrefixImage> {
  const tag = await prefixImageTag(prefix, options.env);
  if (await imageExists(docker, tag)) return { tag, built: false, missing: new Map() };
  const { context, buildArgs, missing } = await prefixImageBuild(prefix, options.env);
  await buildImage(docker, {
    context,
    tag,
    buildArgs,
    ...(options.onLine && { onLine: options.onLine }),
    ...(options.signal && { signal: options.signal }),
  });
  return { tag, built: true, missing };
}
