import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { join, relative } from 'node:path';

/**
 * A hash of a directory tree, for tagging images by their inputs. `contents` hashes every byte (right
 * for a Dockerfile folder); without it only paths, modes, sizes, mtimes and link targets count, which
 * is cheap on a VPP install prefix of hundreds of MB and still changes whenever `ninja install`
 * rewrites a file.
 */
export async function fingerprintTree(dir: string, options: { contents: boolean; ignore?: (path: string) => boolean }): Promise<string> {
  const hash = createHash('sha256');
  const entries = await readdir(dir, { recursive: true });
  for (const name of entries.sort()) {
    const path = join(dir, name);
    if (options.ignore?.(path)) continue;
    const stat = await lstat(path);
    hash.update(`${relative(dir, path)}\0${stat.mode}\0`);
    if (stat.isSymbolicLink()) hash.update(`->${await readlink(path)}\0`);
    else if (stat.isFile()) {
      if (options.contents) hash.update(await readFile(path));
      else hash.update(`${stat.size}:${stat.mtimeMs}\0`);
    }
  }
  return hash.digest('hex');
}

/** Combines named parts into one short tag-safe hash. */
export function combineFingerprints(parts: Record<string, string>): string {
  const hash = createHash('sha256');
  for (const key of Object.keys(parts).sort()) hash.update(`${key}=${parts[key]}\n`);
  return hash.digest('hex').slice(0, 16);
}
