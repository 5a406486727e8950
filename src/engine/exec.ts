import type Docker from 'dockerode';
import { collectOutput, type Output } from './demux.js';

export interface ExecResult extends Output {
  exitCode: number;
}

/** Runs a command in a running container. The exit code comes from inspecting the exec after its stream ends. */
export async function execIn(
  docker: Docker,
  containerId: string,
  cmd: string[],
  options: { env?: Record<string, string>; user?: string; workingDir?: string } = {},
): Promise<ExecResult> {
  const exec = await docker.getContainer(containerId).exec({
    Cmd: cmd,
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
    ...(options.env && { Env: Object.entries(options.env).map(([key, value]) => `${key}=${value}`) }),
    ...(options.user && { User: options.user }),
    ...(options.workingDir && { WorkingDir: options.workingDir }),
  });
  const stream = await exec.start({ hijack: true, stdin: false });
  const output = await collectOutput(docker, stream);
  const { ExitCode } = await exec.inspect();
  return { exitCode: ExitCode ?? -1, ...output };
}
