import { Readable } from 'node:stream';
import type Docker from 'dockerode';
import { collectOutput } from './demux.js';

/** A container's last log lines, stdout and stderr together in the order each came. */
export async function containerLogs(docker: Docker, id: string, tail = 20): Promise<string> {
  const container = docker.getContainer(id);
  const [buffer, info] = await Promise.all([container.logs({ stdout: true, stderr: true, tail }), container.inspect()]);
  // Without a TTY the engine multiplexes stdout and stderr into framed chunks.
  if (info.Config.Tty) return buffer.toString('utf8');
  const { stdout, stderr } = await collectOutput(docker, Readable.from([buffer]));
  return stdout + stderr;
}
