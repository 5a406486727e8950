import type Docker from 'dockerode';

/**
 * dockerode reads DOCKER_HOST, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH itself, as the docker CLI does.
 * Loaded on first use: it and its SSH transport are most of the kit's start-up, and only the commands
 * that talk to an engine need them.
 */
export async function createDockerClient(): Promise<Docker> {
  const { default: Dockerode } = await import('dockerode');
  return new Dockerode();
}

export type EngineProbe =
  | { ok: true; version: string; apiVersion: string; os: string }
  | { ok: false; reason: string };

/** Asks the engine for its version; says plainly why not when it does not answer in time. */
export async function probeEngine(docker: Docker, timeoutMs = 5_000): Promise<EngineProbe> {
  const where = describeEndpoint();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const version = await Promise.race([docker.version(), timeout]);
    return { ok: true, version: version.Version, apiVersion: version.ApiVersion, os: `${version.Os}/${version.Arch}` };
  } catch (error) {
    const cause = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: `no Docker engine answered at ${where} (${cause})` };
  } finally {
    clearTimeout(timer);
  }
}

function describeEndpoint(env: NodeJS.ProcessEnv = process.env): string {
  return env.DOCKER_HOST?.trim() || 'unix:///var/run/docker.sock';
}
