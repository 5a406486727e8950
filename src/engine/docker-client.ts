import type Docker from 'dockerode';
import { EngineError, engineEndpoint, engineProblem } from './engine-errors.js';

/**
 * dockerode reads DOCKER_HOST, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH itself, as the docker CLI does;
 * DOCKER_API_VERSION pins the API version, as it does for the docker CLI (otherwise the engine's own).
 * Loaded on first use: it and its SSH transport are most of the kit's start-up, and only the commands
 * that talk to an engine need them.
 */
export async function createDockerClient(env: NodeJS.ProcessEnv = process.env): Promise<Docker> {
  const { default: Dockerode } = await import('dockerode');
  const version = env.DOCKER_API_VERSION?.trim();
  try {
    return new Dockerode(version ? { version: `v${version.replace(/^v/, '')}` } : {});
  } catch (error) {
    const problem = engineProblem(error, env);
    throw problem ? new EngineError(problem, { cause: error }) : error;
  }
}

/** The engine's own API version range starts at 1.12; vppkit is tested from 20.10's (1.41) on. */
export const TESTED_FROM_API = '1.41';

export type EngineProbe =
  | { ok: true; version: string; apiVersion: string; os: string }
  | { ok: false; reason: string; fix: string };

/** Asks the engine for its version; says plainly why not, and the fix, when it does not answer. */
export async function probeEngine(docker: Docker, timeoutMs = 5_000): Promise<EngineProbe> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })), timeoutMs);
  });
  try {
    const version = await Promise.race([docker.version(), timeout]);
    return { ok: true, version: version.Version, apiVersion: version.ApiVersion, os: `${version.Os}/${version.Arch}` };
  } catch (error) {
    const problem = engineProblem(error);
    if (problem) return { ok: false, reason: problem.message, fix: problem.fix };
    const cause = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: `no Docker engine answered at ${engineEndpoint()} (${cause})`, fix: 'start a Docker engine, or point DOCKER_HOST at one' };
  } finally {
    clearTimeout(timer);
  }
}

/** API versions as numbers to compare: 1.41 < 1.100. */
export function apiAtLeast(version: string, floor: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  const [floorMajor = 0, floorMinor = 0] = floor.split('.').map(Number);
  return major > floorMajor || (major === floorMajor && minor >= floorMinor);
}
