import type { TestProject } from 'vitest/node';
import { engineRequired, probeEngineTier } from './engine-probe.js';
import { report } from './tier-status.js';

export default async function setup(project: TestProject): Promise<void> {
  const status = await probeEngineTier();
  if (!status.run && engineRequired()) {
    throw new Error(`engine tier required (VPPKIT_REQUIRE_ENGINE=1) but cannot run: ${status.reason}`);
  }
  report('engine', status);
  project.provide('engineTier', status);
}
