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
    // The engine's words name the registry, not the lab: say what the image is to the lab and the ways to get it.
    throw new Error(
      `the image ${ref} is not on this engine and pulling it failed (${error instanceof Error ? error.message : String(error)}). ` +
        `Fix: check its name in the lab file; build it first (docker build -t ${ref} <folder>) or give the app \`build: <folder>\` instead of \`image:\`; ` +
        'or make its registry reachable (docker login, a mirror)',
    );
  }
}
