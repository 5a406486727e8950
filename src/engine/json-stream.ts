import { createInterface } from 'node:readline';

export interface EngineEvent {
  stream?: string;
  status?: string;
  progress?: string;
  id?: string;
  error?: string;
  errorDetail?: { message?: string };
  aux?: { ID?: string };
}

/**
 * Reads the engine's newline-delimited JSON progress (builds, pulls) line by line. A failed step
 * arrives as an `error` line inside an HTTP 200 stream, so every line is checked: the first error
 * rejects with its message.
 */
export async function readEngineEvents(stream: NodeJS.ReadableStream, onEvent: (event: EngineEvent) => void): Promise<void> {
  for await (const raw of createInterface({ input: stream, crlfDelay: Infinity })) {
    if (!raw.trim()) continue;
    let event: EngineEvent;
    try {
      event = JSON.parse(raw) as EngineEvent;
    } catch {
      throw new Error(`the engine sent a line that is not JSON: ${raw.slice(0, 200)}`);
    }
    if (event.error !== undefined || event.errorDetail !== undefined) {
      throw new Error((event.errorDetail?.message ?? event.error ?? 'unknown error').trim());
    }
    onEvent(event);
  }
}
