import { existsSync, readdirSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ProjectFile } from './project-files.js';

export interface WriteResult {
  written: string[];
  /** Files the user already had: kept as they were, ours written beside them as <name>.vppkit-new. */
  kept: string[];
}

/**
 * Writes a project into `dir`. A directory with anything in it is refused unless `force`; even then,
 * no file of the user's is overwritten or deleted.
 */
export async function writeProject(dir: string, files: readonly ProjectFile[], { force }: { force: boolean }): Promise<WriteResult> {
  if (existsSync(dir) && readdirSync(dir).length > 0 && !force) {
    throw new Error(`${dir} is not empty: choose a new directory, or add --force to add the project's files to it (your files are kept)`);
  }
  const result: WriteResult = { written: [], kept: [] };
  for (const file of files) {
    let target = join(dir, file.path);
    if (existsSync(target)) {
      result.kept.push(file.path);
      target = `${target}.vppkit-new`;
    } else {
      result.written.push(file.path);
    }
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, file.content, { flag: 'wx' }).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code === 'EEXIST') throw new Error(`${target} already exists; not overwriting it`);
      throw error;
    });
    await chmod(target, file.mode);
  }
  return result;
}
