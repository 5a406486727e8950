import type Docker from 'dockerode';
import { pack } from 'tar-stream';

export interface FileToCopy {
  content: string;
  /** Octal permission bits; 0o644 unless given. */
  mode?: number;
}

/**
 * Writes files into a container (created or running) through the engine's archive API, so configs
 * reach the container without bind mounts: works the same when the engine is remote.
 * Paths are relative to `dir`, which must already exist in the container.
 */
export async function copyInto(container: Docker.Container, dir: string, files: Record<string, FileToCopy>): Promise<void> {
  const archive = pack();
  for (const [name, file] of Object.entries(files)) {
    archive.entry({ name, mode: file.mode ?? 0o644 }, file.content);
  }
  archive.finalize();
  // tar-stream 3 yields a streamx Readable: not Node's type, but it pipes into the request the same way.
  await container.putArchive(archive as unknown as NodeJS.ReadableStream, { path: dir });
}
