/**
 * What went wrong between vppkit and the Docker engine, in words, with the fix: the socket is
 * missing, the user may not use it, DOCKER_HOST names nothing, the engine speaks an older API. The
 * engine client's own messages ("connect ENOENT /var/run/docker.sock") say none of that.
 */
export interface EngineProblem {
  /** What is wrong, naming the endpoint. */
  message: string;
  fix: string;
}

export const DEFAULT_ENDPOINT = 'unix:///var/run/docker.sock';

export function engineEndpoint(env: NodeJS.ProcessEnv = process.env): string {
  return env.DOCKER_HOST?.trim() || DEFAULT_ENDPOINT;
}

/** The engine problem an error shows, or undefined when it is not one (then it is reported as it is). */
export function engineProblem(error: unknown, env: NodeJS.ProcessEnv = process.env): EngineProblem | undefined {
  const endpoint = engineEndpoint(env);
  const { code, message, statusCode } = (error ?? {}) as { code?: string; message?: string; statusCode?: number };
  const text = message ?? String(error);
  const socket = endpoint.startsWith('unix://') ? endpoint.slice('unix://'.length) : undefined;
  const elsewhere = 'or point DOCKER_HOST at a running engine (docker context inspect shows where yours listens)';

  if (/DOCKER_HOST env variable should be/.test(text)) {
    return { message: `DOCKER_HOST=${env.DOCKER_HOST} is not an engine address`, fix: 'give unix:///path/to/docker.sock, tcp://host:2375, ssh://user@host or npipe://..., or unset it for the local engine' };
  }
  if (code === 'ENOENT' && socket) {
    return {
      message: `no Docker engine at ${endpoint}: the socket ${socket} does not exist`,
      fix: `start the engine (sudo systemctl start docker, or dockerd), ${elsewhere}`,
    };
  }
  if ((code === 'EACCES' || code === 'EPERM') && socket) {
    return {
      message: `permission denied on the Docker engine's socket ${socket}`,
      fix:
        'let your user use it: sudo usermod -aG docker "$USER", then log in again (or run newgrp docker); ' +
        'with rootless Docker, export DOCKER_HOST=unix://$XDG_RUNTIME_DIR/docker.sock',
    };
  }
  if (code === 'ECONNREFUSED') {
    return { message: `nothing accepts connections at ${endpoint}`, fix: `start the engine there, ${elsewhere}` };
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return { message: `the host in DOCKER_HOST=${endpoint} cannot be resolved`, fix: 'correct DOCKER_HOST, or unset it for the local engine' };
  }
  if (code === 'ETIMEDOUT' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
    return { message: `no answer from ${endpoint} (${code})`, fix: `check that the engine's host is reachable, ${elsewhere}` };
  }
  // The engine's own words when asked for a newer API than it speaks:
  // "client version 1.99 is too new. Maximum supported API version is 1.41".
  const tooNew = /client version ([\d.]+) is too new\. Maximum supported API version is ([\d.]+)/.exec(text);
  if (statusCode === 400 && tooNew) {
    return {
      message: `the Docker engine at ${endpoint} speaks API ${tooNew[2]} at most; vppkit asked for ${tooNew[1]}${env.DOCKER_API_VERSION ? ' (DOCKER_API_VERSION)' : ''}`,
      fix: env.DOCKER_API_VERSION ? `unset DOCKER_API_VERSION (vppkit then speaks the engine's own version), or set it to ${tooNew[2]}` : 'upgrade the Docker engine',
    };
  }
  const tooOld = /client version ([\d.]+) is too old\. Minimum supported API version is ([\d.]+)/.exec(text);
  if (statusCode === 400 && tooOld) {
    return {
      message: `the Docker engine at ${endpoint} speaks API ${tooOld[2]} or newer; vppkit asked for ${tooOld[1]}${env.DOCKER_API_VERSION ? ' (DOCKER_API_VERSION)' : ''}`,
      fix: `unset DOCKER_API_VERSION, or set it to ${tooOld[2]} or newer`,
    };
  }
  return undefined;
}

/** An error that says the engine problem in words, keeping the engine client's error as its cause. */
export class EngineError extends Error {
  constructor(
    readonly problem: EngineProblem,
    options: { cause: unknown },
  ) {
    super(`${problem.message}. Fix: ${problem.fix}`, options);
    this.name = 'EngineError';
  }
}

/** The error itself, or an EngineError when it shows an engine problem. */
export function inWords(error: unknown, env: NodeJS.ProcessEnv = process.env): unknown {
  if (error instanceof EngineError) return error;
  const problem = engineProblem(error, env);
  return problem ? new EngineError(problem, { cause: error }) : error;
}
