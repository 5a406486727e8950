import type Docker from 'dockerode';
import { withCleanup } from './absent.js';
import { collectOutput, type Output } from './demux.js';
import { LABEL, type Labels } from '../plan/labels.js';

export interface RunOnceOptions {
  image: string;
  cmd: string[];
  env?: Record<string, string>;
  labels?: Labels;
  /** The user to run as, when the image's USER must not decide. */
  user?: string;
  hostConfig?: Docker.HostConfig;
}

export interface RunOnceResult extends Output {
  exitCode: number;
}

/**
 * Runs a command in a fresh container and removes the container, whatever happens. Attaches before
 * starting so no early output is lost, and waits for the output stream to end before returning.
 */
export async function runOnce(docker: Docker, options: RunOnceOptions): Promise<RunOnceResult> {
  const container = await docker.createContainer({
    Image: options.image,
    Cmd: options.cmd,
    Env: Object.entries(options.env ?? {}).map(([key, value]) => `${key}=${value}`),
    Labels: { [LABEL.managed]: 'true', ...options.labels },
    ...(options.user !== undefined && { User: options.user }),
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
    HostConfig: options.hostConfig ?? {},
  });
  return withCleanup(
    async () => {
      const stream = await container.attach({ stream: true, stdout: true, stderr: true });
      const output = collectOutput(docker, stream);
      await container.start();
      const [{ StatusCode }, collected] = await Promise.all([
        container.wait() as Promise<{ StatusCode: number }>,
        output,
      ]);
      return { exitCode: StatusCode, ...collected };
    },
    `the temporary container ${container.id.slice(0, 12)}`,
    () => container.remove({ force: true, v: true }),
  );
}
