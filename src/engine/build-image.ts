import type Docker from 'dockerode';
import type { Pack } from 'tar-fs';
import { readEngineEvents } from './json-stream.js';
import { LABEL, type Labels } from '../plan/labels.js';

export interface BuildImageOptions {
  /** A tar stream of the build context (see packContext). */
  context: NodeJS.ReadableStream | Pack;
  tag: string;
  buildArgs?: Record<string, string>;
  labels?: Labels;
  /** Called with each line of build output, for progress displays. */
  onLine?: (line: string) => void;
  /** Abandons the build: the request ends, and the engine stops a build whose client left. */
  signal?: AbortSignal;
}

export class ImageBuildError extends Error {
  constructor(
    readonly tag: string,
    readonly reason: string,
    /** The build's output up to the failure, newest last. */
    readonly log: readonly string[],
  ) {
    super(`building image ${tag} failed: ${reason}`);
    this.name = 'ImageBuildError';
  }

  /** The last lines of build output, which usually show the failing step. */
  tail(lines = 15): string {
    return this.log.slice(-lines).join('\n');
  }
}

/**
 * Builds through the engine's API and reads every line of the build stream: the engine reports a
 * failed step as an `error` line inside an HTTP 200 stream, which dockerode's followProgress passes
 * on as success.
 */
export async function buildImage(docker: Docker, options: BuildImageOptions): Promise<{ tag: string; imageId?: string }> {
  const log: string[] = [];
  let stream: NodeJS.ReadableStream;
  try {
    // tar-fs 3 yields a streamx Readable: not Node's type, but it pipes into the request the same way.
    stream = await docker.buildImage(options.context as NodeJS.ReadableStream, {
      t: options.tag,
      buildargs: options.buildArgs ?? {},
      labels: { [LABEL.managed]: 'true', ...options.labels },
      rm: true,
      forcerm: true,
      ...(options.signal && { abortSignal: options.signal }),
    });
  } catch (error) {
    throw new ImageBuildError(options.tag, error instanceof Error ? error.message : String(error), log);
  }

  let imageId: string | undefined;
  try {
    await readEngineEvents(stream, (event) => {
      for (const line of event.stream?.split('\n') ?? []) {
        if (!line.trim()) continue;
        log.push(line);
        options.onLine?.(line);
      }
      if (event.aux?.ID) imageId = event.aux.ID;
    });
  } catch (error) {
    throw new ImageBuildError(options.tag, error instanceof Error ? error.message : String(error), log);
  }
  return imageId === undefined ? { tag: options.tag } : { tag: options.tag, imageId };
}
