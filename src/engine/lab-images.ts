import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { dockerignoreFilter } from '../images/dockerignore.js';
import { packContext } from '../images/build-context.js';
import { combineFingerprints, fingerprintTree } from '../images/fingerprint.js';
import { APP_DEV_ARG, appDevBuildArgs, BASE_IMAGE_ARG, kitImageDir, vppReleaseBuildArgs } from '../images/kit-images.js';
import { ensurePrefixImage } from './prefix-image.js';
import type { VppSource } from '../lab/lab-model.js';
import type { Plan } from '../plan/plan-types.js';
import { buildImage } from './build-image.js';
import { LABEL } from '../plan/labels.js';
import { ensurePulled, imageExists } from './pull-image.js';


export interface ImageProgress {
  /** A short phase ("building VPP 26.06"), then the lines of its output. */
  phase(title: string): void;
  line(text: string): void;
  /** Ctrl-C: a build or pull under way is abandoned (the engine stops a build its client leaves). */
  signal?: AbortSignal;
}

const quiet: ImageProgress = { phase: () => undefined, line: () => undefined };

/**
 * Every image a plan needs, as tags the engine has: built or pulled when missing, reused when their
 * inputs have not changed (tags are hashes of the inputs). The VPP and app-dev images are also tagged
 * with their plan refs, the names compose and devcontainer files use. The app-dev image is made only
 * when an app is built from source, unless `withAppDev` (a dev container needs it); `withApps: false`
 * leaves the apps' images out.
 */
export async function resolveLabImages(
  docker: Docker,
  plan: Plan,
  options: { progress?: ImageProgress; withAppDev?: boolean; withApps?: boolean } = {},
): Promise<Map<string, string>> {
  const progress = options.progress ?? quiet;
  const env = process.env;
  const tags = new Map<string, string>();
  const vppImage = plan.images.find((image) => image.source.kind === 'vpp');
  if (vppImage?.source.kind !== 'vpp') throw new Error('the plan has no VPP image');
  const vpp = vppImage.source.vpp;
  const vppTag = await resolveVppImage(docker, vpp, env, progress);
  tags.set(vppImage.key, vppTag);
  await tagAs(docker, vppTag, vppImage.ref);

  const appDevImage = plan.images.find((image) => image.source.kind === 'app-dev');
  const needAppDev = options.withAppDev || plan.images.some((image) => image.source.kind === 'build');
  if (appDevImage && needAppDev) {
    const appDevTag = await resolveAppDevImage(docker, vppTag, vpp, progress);
    tags.set(appDevImage.key, appDevTag);
    await tagAs(docker, appDevTag, appDevImage.ref);
  }

  for (const image of options.withApps === false ? [] : plan.images) {
    if (image.source.kind === 'pull') {
      progress.phase(`pulling ${image.source.image}`);
      await ensurePulled(docker, image.source.image, progress.line, progress.signal);
      tags.set(image.key, image.source.image);
    } else if (image.source.kind === 'build') {
      const appDev = tags.get(appDevImage?.key ?? '');
      if (!appDev) throw new Error('the plan has no app-dev image to build apps on');
      tags.set(image.key, await buildAppImage(docker, plan.lab, image.key, image.source.context, appDev, progress));
    }
  }
  return tags;
}

async function tagAs(docker: Docker, image: string, ref: string): Promise<void> {
  if (image === ref) return;
  const at = ref.lastIndexOf(':');
  await docker.getImage(image).tag({ repo: ref.slice(0, at), tag: ref.slice(at + 1) });
}

async function resolveVppImage(docker: Docker, source: VppSource, env: NodeJS.ProcessEnv, progress: ImageProgress): Promise<string> {
  if (source.kind === 'image') {
    progress.phase(`pulling ${source.image}`);
    await ensurePulled(docker, source.image, progress.line, progress.signal);
    return source.image;
  }
  if (source.kind === 'prefix') {
    progress.phase(`packing the VPP prefix ${source.prefix}`);
    const image = await ensurePrefixImage(docker, source.prefix, { env, onLine: progress.line, ...(progress.signal && { signal: progress.signal }) });
    for (const [soname, needers] of image.missing) progress.line(`warning: this host has no ${soname} (needed by ${needers.join(', ')})`);
    return image.tag;
  }
  const dir = kitImageDir('vpp-release');
  const buildArgs = vppReleaseBuildArgs(source, env);
  const tag = `vppkit/vpp:${source.release}-${combineFingerprints({ dockerfile: await fingerprintTree(dir, { contents: true }), ...buildArgs })}`;
  if (await imageExists(docker, tag)) return tag;
  progress.phase(`installing FD.io VPP ${source.release} from ${buildArgs.VPP_APT_REPOSITORY} on ${buildArgs[BASE_IMAGE_ARG]}`);
  await buildImage(docker, { context: packContext([{ from: dir, to: '.' }]), tag, buildArgs, onLine: progress.line, ...(progress.signal && { signal: progress.signal }) });
  return tag;
}

async function resolveAppDevImage(docker: Docker, vppTag: string, vpp: VppSource, progress: ImageProgress): Promise<string> {
  const dir = kitImageDir('app-dev');
  const vppId = (await docker.getImage(vppTag).inspect()).Id;
  // VPP from a release gets its -dev packages by the installed version: the image id says which.
  const buildArgs = appDevBuildArgs(vppTag, vpp);
  const tag = `vppkit/app-dev:${combineFingerprints({ dockerfile: await fingerprintTree(dir, { contents: true }), vppId, ...buildArgs })}`;
  if (await imageExists(docker, tag)) return tag;
  progress.phase('building the app-dev image (toolchain, VPP headers, libmemif)');
  await buildImage(docker, { context: packContext([{ from: dir, to: '.' }]), tag, buildArgs, onLine: progress.line, ...(progress.signal && { signal: progress.signal }) });
  return tag;
}

async function buildAppImage(docker: Docker, lab: string, key: string, context: string, appDev: string, progress: ImageProgress): Promise<string> {
  if (!existsSync(join(context, 'Dockerfile'))) {
    throw new Error(`${context} has no Dockerfile: give the app a build folder with one, or an image`);
  }
  const ignore = dockerignoreFilter(context);
  const buildArgs = { [APP_DEV_ARG]: appDev };
  const app = key.replace(/^app:/, '');
  const tag = `vppkit/${lab}_${app}:${combineFingerprints({ context: await fingerprintTree(context, { contents: true, ignore }), ...buildArgs })}`;
  if (await imageExists(docker, tag)) return tag;
  progress.phase(`building ${app} from ${context}`);
  await buildImage(docker, {
    context: packContext([{ from: context, to: '.', ignore }]),
    tag,
    buildArgs,
    labels: { [LABEL.lab]: lab, [LABEL.node]: app },
    onLine: progress.line,
    ...(progress.signal && { signal: progress.signal }),
  });
  return tag;
}
