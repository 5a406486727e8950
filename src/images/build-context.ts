import { readFile, stat } from 'node:fs/promises';
import { posix } from 'node:path';
import { pack, type Pack } from 'tar-fs';

export interface ContextPart {
  /** A directory on disk. */
  from: string;
  /** Where its contents go inside the build context ('.' for the root). */
  to: string;
  /** Leaves out paths (absolute) it returns true for, e.g. a .dockerignore filter. */
  ignore?: (path: string) => boolean;
}

export interface ContextFile {
  /** A file on disk (links are followed: the context gets the file's content). */
  from: string;
  /** Its path inside the build context. */
  to: string;
}

/**
 * One tar stream made of several directories, e.g. an image's Dockerfile folder at the root and a
 * VPP install prefix under `prefix/`, plus single files from elsewhere, so nothing has to be copied
 * to a staging folder first.
 */
export function packContext(parts: readonly ContextPart[], files: readonly ContextFile[] = []): Pack {
  if (parts.length === 0) throw new Error('a build context needs at least one directory');
  return packFrom(parts, files, 0);
}

function packFrom(parts: readonly ContextPart[], files: readonly ContextFile[], index: number, into?: Pack): Pack {
  const part = parts[index]!;
  const last = index === parts.length - 1;
  return pack(part.from, {
    ...(into && { pack: into }),
    finalize: last && files.length === 0,
    ...(part.ignore && { ignore: part.ignore }),
    map: (header) => {
      header.name = posix.join(part.to, header.name);
      return header;
    },
    ...(!last && { finish: (current: Pack) => void packFrom(parts, files, index + 1, current) }),
    ...(last && files.length > 0 && { finish: (current: Pack) => void appendFiles(current, files) }),
  });
}

async function appendFiles(archive: Pack, files: readonly ContextFile[]): Promise<void> {
  try {
    for (const file of files) {
      const [content, info] = await Promise.all([readFile(file.from), stat(file.from)]);
      await new Promise<void>((resolve, reject) => {
        archive.entry({ name: file.to, mode: info.mode & 0o7777, mtime: info.mtime }, content, (error) => (error ? reject(error) : resolve()));
      });
    }
    archive.finalize();
  } catch (error) {
    archive.destroy(error instanceof Error ? error : new Error(String(error)));
  }
}
