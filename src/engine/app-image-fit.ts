import type Docker from 'dockerode';
import { ENGINE_DEFAULT_PATH, loaderFit, type LoaderFinding } from '../images/loader-fit.js';
import type { PlannedContainer } from '../plan/plan-types.js';
import { readContainerFolder, readFollowing } from './image-files.js';

export interface AppImageProblem {
  app: string;
  image: string;
  program: string;
  finding: LoaderFinding;
  message: string;
  fix: string;
}

/** Apps whose images cannot be what their paths need, each with the evidence and the fix. */
export class AppImageError extends Error {
  constructor(readonly problems: readonly AppImageProblem[]) {
    super(`${problems.length === 1 ? `${problems[0]!.app}'s image does` : `the images of ${problems.map((problem) => problem.app).join(', ')} do`} not fit their paths (details below)`);
    this.name = 'AppImageError';
  }

  /** One paragraph per app: what was found in its image, and the fix. */
  get details(): string {
    return this.problems.map((problem) => `${problem.app} (image ${problem.image}): ${problem.message}.\n  Fix: ${problem.fix}.`).join('\n');
  }
}

export interface AppToCheck {
  planned: PlannedContainer;
  /** Its container, made (not started): its files are the image's. */
  containerId: string;
  /** The engine's id or tag of its image, and the name people know it by. */
  image: string;
  imageRef: string;
}

/**
 * Checks each app's image against its path's needs, from the image's files alone: nothing runs in
 * the app's container. VCL's libraries are read from VPP's container, where its entry script put them.
 */
export async function checkAppImages(docker: Docker, apps: readonly AppToCheck[], vppContainerId: string): Promise<void> {
  const libraryFolders = new Map<string, Promise<Map<string, Buffer>>>();
  const problems: AppImageProblem[] = [];
  for (const { planned, containerId, image, imageRef } of apps) {
    const config = (await docker.getImage(image).inspect()).Config;
    const container = docker.getContainer(containerId);
    for (const need of planned.imageNeeds ?? []) {
      if (!libraryFolders.has(need.dir)) libraryFolders.set(need.dir, readContainerFolder(docker.getContainer(vppContainerId), need.dir));
      const libraries = await libraryFolders.get(need.dir)!;
      const fit = await loaderFit({
        argv: [...(config.Entrypoint ?? []), ...(planned.command ?? config.Cmd ?? [])],
        // The lab's env: comes after the image's, as the engine gives the container both.
        searchPath: planned.env.PATH ?? envValue(config.Env, 'PATH') ?? ENGINE_DEFAULT_PATH,
        workingDir: config.WorkingDir || '/',
        libraries,
        preloaded: 'LD_PRELOAD' in planned.env,
        read: (path) => readFollowing(container, path),
      });
      if (fit.fits === false) problems.push({ app: planned.node, image: imageRef, program: fit.program, finding: fit.finding, message: fit.message, fix: fit.fix });
    }
  }
  if (problems.length) throw new AppImageError(problems);
}

function envValue(env: readonly string[] | undefined, key: string): string | undefined {
  const entry = env?.find((line) => line.startsWith(`${key}=`));
  return entry?.slice(key.length + 1);
}
