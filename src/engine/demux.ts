import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';

export interface Output {
  stdout: string;
  stderr: string;
}

/**
 * Collects a multiplexed (non-TTY) attach or exec stream into stdout and stderr. Resolves when the
 * stream ends, so the output is complete before an exit code is read.
 */
export function collectOutput(docker: Docker, stream: NodeJS.ReadableStream): Promise<Output> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const chunks = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
  stdout.on('data', (chunk: Buffer) => chunks.stdout.push(chunk));
  stderr.on('data', (chunk: Buffer) => chunks.stderr.push(chunk));
  docker.modem.demuxStream(stream, stdout, stderr);
  return new Promise((resolve, reject) => {
    const done = (): void =>
      resolve({ stdout: Buffer.concat(chunks.stdout).toString('utf8'), stderr: Buffer.concat(chunks.stderr).toString('utf8') });
    stream.on('end', done);
    stream.on('close', done);
    stream.on('error', reject);
  });
}
