import { posix } from 'node:path';
import { pack } from 'tar-fs';
import type { Pack } from 'tar-fs';

export interface ContextPart {
  /** A directory on disk. */
  from: string;
  /** Where its contents go inside the build context ('.' for the root). */
  to: string;
}

/**
 * One tar stream made of several directories, e.g. an image's Dockerfile folder at the root and a
 * VPP install prefix under `prefix/`, so nothing has to be copied to a staging folder first.
 */
export function packContext(parts: readonly ContextPart[]): Pack {
  if (parts.length === 0) throw new Error('a build context needs at least one directory');
  return packFrom(parts, 0);
}

function packFrom(parts: readonly ContextPart[], index: number, into?: Pack): Pack {
  const part = parts[index]!;
  const last = index === parts.length - 1;
  return pack(part.from, {
    ...(into && { pack: into }),
    finalize: last,
    map: (header) => {
      header.name = posix.join(part.to, header.name);
      return header;
    },
    ...(!last && { finish: (current: Pack) => void packFrom(parts, index + 1, current) }),
  });
}
