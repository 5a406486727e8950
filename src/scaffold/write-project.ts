import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
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
    // Synchronous: a dozen small files, written by a process that does nothing else meanwhile.
    mkdirSync(dirname(target), { recursive: true });
    try {
      writeFileSync(target, file.content, { flag: 'wx', mode: file.mode });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new Error(`${target} already exists; not overwriting it`);
      throw error;
    }
  }
  return result;
}
