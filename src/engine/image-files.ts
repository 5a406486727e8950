import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import type Docker from 'dockerode';
import { extract } from 'tar-stream';
import { isAbsent } from './absent.js';

/** One path of a container's filesystem, as the engine's archive API gives it (the last component not followed). */
export type FileEntry =
  | { kind: 'file'; data: Buffer }
  | { kind: 'symlink'; target: string }
  | { kind: 'directory' }
  | { kind: 'other' }
  | { kind: 'absent' };

/**
 * Larger files are read this far only: a program's ELF headers come first, and a C library is far
 * smaller (a cut-short program whose headers reach further is judged "unknown", not refused).
 */
const MAX_FILE_BYTES = 64 * 1024 * 1024;

/** Reads one path of a container (created or running) through the engine's archive API: nothing runs in it. */
export async function readContainerPath(container: Docker.Container, path: string): Promise<FileEntry> {
  let stream: NodeJS.ReadableStream;
  try {
    stream = await container.getArchive({ path });
  } catch (error) {
    if (isAbsent(error)) return { kind: 'absent' };
    throw error;
  }
  const entries = await untar(stream as Readable, { firstOnly: true });
  return entries[0]?.entry ?? { kind: 'absent' };
}

/** The regular files directly in a container's folder, by name. */
export async function readContainerFolder(container: Docker.Container, path: string): Promise<Map<string, Buffer>> {
  const stream = await container.getArchive({ path });
  const files = new Map<string, Buffer>();
  for (const { name, entry } of await untar(stream as Readable, { firstOnly: false })) {
    const parts = name.split('/').filter(Boolean);
    if (parts.length === 2 && entry.kind === 'file') files.set(parts[1]!, entry.data);
  }
  return files;
}

async function untar(stream: Readable, { firstOnly }: { firstOnly: boolean }): Promise<{ name: string; entry: FileEntry }[]> {
  const entries: { name: string; entry: FileEntry }[] = [];
  const tar = extract();
  const done = new Promise<void>((resolve, reject) => {
    tar.on('entry', (header, body, next) => {
      const keep = !firstOnly || entries.length === 0;
      if (header.type === 'file' && keep) {
        const chunks: Buffer[] = [];
        let bytes = 0;
        body.on('data', (chunk: unknown) => {
          if (bytes >= MAX_FILE_BYTES) return;
          chunks.push(chunk as Buffer);
          bytes += (chunk as Buffer).length;
        });
        body.on('end', () => {
          entries.push({ name: header.name, entry: { kind: 'file', data: Buffer.concat(chunks) } });
          next();
        });
        body.on('error', reject);
        return;
      }
      if (keep) {
        const entry: FileEntry =
          header.type === 'symlink' ? { kind: 'symlink', target: header.linkname ?? '' } : header.type === 'directory' ? { kind: 'directory' } : { kind: 'other' };
        entries.push({ name: header.name, entry });
      }
      body.on('end', next);
      body.resume();
    });
    tar.on('finish', resolve);
    tar.on('error', reject);
    stream.on('error', reject);
  });
  stream.pipe(tar);
  await done;
  return entries;
}

/**
 * A file of a container, following symbolic links (the engine resolves links in the folders of a path,
 * not its last component). `undefined` when it is absent, not a regular file, or links loop.
 */
export async function readFollowing(container: Docker.Container, path: string): Promise<{ path: string; data: Buffer } | undefined> {
  let current = path;
  for (let hops = 0; hops < 16; hops++) {
    const entry = await readContainerPath(container, current);
    if (entry.kind === 'file') return { path: current, data: entry.data };
    if (entry.kind !== 'symlink') return undefined;
    current = posix.resolve(posix.dirname(current), entry.target);
  }
  return undefined;
}
