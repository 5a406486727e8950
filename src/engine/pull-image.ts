import type Docker from 'dockerode';
import { inspectIfPresent } from './absent.js';
import { readEngineEvents } from './json-stream.js';

export async function imageExists(docker: Docker, ref: string): Promise<boolean> {
  return (await inspectIfPresent(() => docker.getImage(ref).inspect())) !== undefined;
}

/** Pulls an image unless the engine has it; an error line in the pull stream fails the pull. */
export async function ensurePulled(docker: Docker, ref: string, onLine?: (line: string) => void, signal?: AbortSignal): Promise<void> {
  if (await imageExists(docker, ref)) return;
  try {
    const stream = await docker.pull(ref, signal ? { abortSignal: signal } : {});
    await readEngineEvents(stream, (event) => {
      if (event.status) onLine?.(`${event.id ? `${event.id}: ` : ''}${event.status}${event.progress ? ` ${event.progress}` : ''}`);
    });
  } catch (error) {
    throw new Error(`pulling ${ref} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
