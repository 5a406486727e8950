import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { engineClient, untagLabImages } from './engine.js';
import { runBin } from './run-bin.js';

/**
 * A folder for one test file's projects, labs named <labPrefix>...: each project pushed to `made` is
 * brought down afterwards, the folder removed, and its labs' image tags with it.
 */
export function scratchProjects(folderPrefix: string, labPrefix: string): { readonly work: string; made: string[] } {
  const scratch = { work: '', made: [] as string[] };
  beforeAll(async () => {
    scratch.work = await mkdtemp(join(tmpdir(), folderPrefix));
  });
  afterAll(async () => {
    for (const name of scratch.made) runBin('vppkit', ['down'], { cwd: join(scratch.work, name) });
    await rm(scratch.work, { recursive: true, force: true });
    await untagLabImages(engineClient(), labPrefix);
  });
  return scratch;
}
