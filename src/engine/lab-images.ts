import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { dockerignoreFilter } from '../images/dockerignore.js';
import { packContext } from '../images/build-context.js';
import { combineFingerprints, fingerprintTree } from '../images/fingerprint.js';
import { BASE_IMAGE_ARG, baseBuildArgs, kitImageDir } from '../images/kit-images.js';
import { ensurePrefixImage } from '../images/vpp-prefix-image.js';
import type { VppSource } from '../lab/lab-model.js';
import type { Plan } from '../plan/plan-types.js';
import { buildImage } from './build-image.js';
import { LABEL } from './labels.js';
import { ensurePulled, imageExists } from './pull-image.js';

/** Build argument app Dockerfiles take their base from (templates: FROM ${VPPKIT_APP_DEV_IMAGE}). */
export const APP_DEV_ARG = 'VPPKIT_APP_DEV_IMAGE';

export interface ImageProgress {
  /** A short phase ("building VPP 26.06"), then the lines of its output. */
  phase(title: string): void;
  line(text: string): void;
}

const quiet: ImageProgress = { phase: () => undefined, line: () => undefined };

/**
 * Every image a plan needs, as tags the engine has: built or pulled when missing, reused when their
 * inputs have not changed (tags are hashes of the inputs).
 */
export async function resolveLabImages(
  docker: Docker,
  plan: Plan,
  options: { env?: NodeJS.ProcessEnv; progress?: ImageProgress } = {},
): Promise<Map<string, string>> {
  const progress = options.progress ?? quiet;
  const env = options.env ?? process.env;
  const tags = new Map<string, string>();
  const vppImage = plan.images.find((image) => image.source.kind === 'vpp');
  if (vppImage?.source.kind !== 'vpp') throw new Error('the plan has no VPP image');
  const vpp = vppImage.source.vpp;
  const vppTag = await resolveVppImage(docker, vpp, env, progress);
  tags.set(vppImage.key, vppTag);

  let appDev: string | undefined;
  for (const image of plan.images) {
    if (image.source.kind === 'pull') {
      progress.phase(`pulling ${image.source.image}`);
      await ensurePulled(docker, image.source.image, progress.line);
      tags.set(image.key, image.source.image);
    } else if (image.source.kind === 'build') {
      appDev ??= await resolveAppDevImage(docker, vppTag, vpp, progress);
      tags.set(image.key, await buildAppImage(docker, plan.lab, image.key, image.source.context, appDev, progress));
    }
  }
  return tags;
}

async function resolveVppImage(docker: Docker, source: VppSource, env: NodeJS.ProcessEnv, progress: ImageProgress): Promise<string> {
  if (source.kind === 'image') {
    progress.phase(`pulling ${source.image}`);
    await ensurePulled(docker, source.image, progress.line);
    return source.image;
  }
  if (source.kind === 'prefix') {
    progress.phase(`packing the VPP prefix ${source.prefix}`);
    const image = await ensurePrefixImage(docker, source.prefix, { env, onLine: progress.line });
    for (const [soname, needers] of image.missing) progress.line(`warning: this host has no ${soname} (needed by ${needers.join(', ')})`);
    return image.tag;
  }
  const dir = kitImageDir('vpp-release');
  const buildArgs: Record<string, string> = { ...baseBuildArgs(env), VPP_RELEASE: source.release };
  const tag = `vppkit/vpp:${source.release}-${combineFingerprints({ dockerfile: await fingerprintTree(dir, { contents: true }), ...buildArgs })}`;
  if (await imageExists(docker, tag)) return tag;
  progress.phase(`installing FD.io VPP ${source.release} on ${buildArgs[BASE_IMAGE_ARG]}`);
  await buildImage(docker, { context: packContext([{ from: dir, to: '.' }]), tag, buildArgs, onLine: progress.line });
  return tag;
}

async function resolveAppDevImage(docker: Docker, vppTag: string, vpp: VppSource, progress: ImageProgress): Promise<string> {
  const dir = kitImageDir('app-dev');
  const vppId = (await docker.getImage(vppTag).inspect()).Id;
  const buildArgs = { BASE_IMAGE: vppTag, VPP_RELEASE: vpp.kind === 'release' ? vpp.release : '' };
  const tag = `vppkit/app-dev:${combineFingerprints({ dockerfile: await fingerprintTree(dir, { contents: true }), vppId, ...buildArgs })}`;
  if (await imageExists(docker, tag)) return tag;
  progress.phase('building the app-dev image (toolchain, VPP headers, libmemif)');
  await buildImage(docker, { context: packContext([{ from: dir, to: '.' }]), tag, buildArgs, onLine: progress.line });
  return tag;
}

async function buildAppImage(docker: Docker, lab: string, key: string, context: string, appDev: string, progress: ImageProgress): Promise<string> {
  if (!existsSync(join(context, 'Dockerfile'))) {
    throw new Error(`${context} has no Dockerfile: give the app a build folder with one, or an image`);
  }
  const ignore = dockerignoreFilter(context);
  const buildArgs = { [APP_DEV_ARG]: appDev };
  const app = key.replace(/^app:/, '');
  const tag = `vppkit/${lab}-${app}:${combineFingerprints({ context: await fingerprintTree(context, { contents: true, ignore }), ...buildArgs })}`;
  if (await imageExists(docker, tag)) return tag;
  progress.phase(`building ${app} from ${context}`);
  await buildImage(docker, {
    context: packContext([{ from: context, to: '.', ignore }]),
    tag,
    buildArgs,
    labels: { [LABEL.lab]: lab, [LABEL.node]: app },
    onLine: progress.line,
  });
  return tag;
}
