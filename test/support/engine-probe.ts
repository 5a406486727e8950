import { resolveBaseImage } from '../../src/config/defaults.js';
import { probeEngine } from '../../src/engine/docker-client.js';
import { engineClient } from './engine.js';
import type { TierStatus } from './tier-status.js';

/** An engine that answers, with the base image the tests build on already present. */
export async function probeEngineTier(): Promise<TierStatus> {
  const docker = engineClient();
  const probe = await probeEngine(docker);
  if (!probe.ok) {
    return { run: false, reason: `${probe.reason}. In this repository: bash scripts/setup-machine.sh` };
  }
  const base = resolveBaseImage();
  try {
    await docker.getImage(base).inspect();
  } catch {
    return {
      run: false,
      reason: `base image ${base} is not in the engine. Offline: bash scripts/base-image.sh; online: docker pull ${base}`,
    };
  }
  return { run: true, detail: `Docker ${probe.version} (API ${probe.apiVersion}, ${probe.os}), base image ${base}` };
}

/** CI sets VPPKIT_REQUIRE_ENGINE=1: there, a skipped engine tier would hide a broken set-up. */
export function engineRequired(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.VPPKIT_REQUIRE_ENGINE === '1';
}
