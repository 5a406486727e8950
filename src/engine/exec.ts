import { setTimeout as sleep } from 'node:timers/promises';
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
  return { exitCode: await exitCodeOf(exec), ...output };
}

/**
 * The engine may still report an exec as running for a moment after its output ends; its exit code
 * is only final once it does not.
 */
async function exitCodeOf(exec: Docker.Exec): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    const info = await exec.inspect();
    if (!info.Running || attempt >= 100) return info.ExitCode ?? -1;
    await sleep(20);
  }
}

/**
 * Runs a command in a running container wired to this process's terminal, like `docker exec -i`
 * (and `-t` when both ends are terminals): stdin goes in, output comes out as it arrives, and the
 * command's exit code is returned.
 */
export async function execAttached(docker: Docker, containerId: string, cmd: string[], options: { stdin?: boolean } = {}): Promise<number> {
  const withStdin = options.stdin ?? true;
  const tty = withStdin && Boolean(process.stdin.isTTY && process.stdout.isTTY);
  const exec = await docker.getContainer(containerId).exec({
    Cmd: cmd,
    AttachStdin: withStdin,
    AttachStdout: true,
    AttachStderr: true,
    Tty: tty,
    ...(tty && { Env: [`TERM=${process.env.TERM ?? 'xterm'}`] }),
  });
  const stream = await exec.start({ hijack: true, stdin: withStdin, Tty: tty });
  const resize = (): void => void exec.resize({ h: process.stdout.rows, w: process.stdout.columns }).catch(() => undefined);
  if (tty) {
    process.stdin.setRawMode(true);
    stream.pipe(process.stdout);
    resize();
    process.stdout.on('resize', resize);
  } else {
    docker.modem.demuxStream(stream, process.stdout, process.stderr);
  }
  if (withStdin) {
    process.stdin.pipe(stream as unknown as NodeJS.WritableStream);
    // Without a terminal, the end of our input is the end of the command's.
    if (!tty) process.stdin.once('end', () => (stream as unknown as NodeJS.WritableStream).end());
  }
  try {
    await new Promise<void>((resolve, reject) => {
      stream.on('end', resolve);
      stream.on('close', resolve);
      stream.on('error', reject);
    });
  } finally {
    // The user's terminal goes back to normal whatever happened.
    if (tty) {
      process.stdin.setRawMode(false);
      process.stdout.off('resize', resize);
    }
    if (withStdin) {
      process.stdin.unpipe(stream as unknown as NodeJS.WritableStream);
      process.stdin.pause();
    }
  }
  return exitCodeOf(exec);
}
