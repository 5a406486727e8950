import { resolveBaseImage } from '../../src/config/defaults.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import type { Plan } from '../../src/plan/plan-types.js';
import { lab } from './lab-fixtures.js';
import { labelledForTest } from './vpp-lab.js';

/** A plan for an engine test: a unique lab name, the test run's labels on everything. */
export function enginePlan(run: { id: string; labels: Record<string, string> }, name: string, yamlBody: string): Plan {
  return labelledForTest(buildPlan(lab(`name: t${run.id}-${name}\n${yamlBody}`)), run.labels);
}

/**
 * Every node runs the base image doing nothing, in place of VPP and the apps: what is under test is
 * the wiring the engine gives them, not VPP.
 */
export function baseImageEverywhere(plan: Plan): { images: Map<string, string>; commands: Record<string, string[]> } {
  return {
    images: new Map(plan.images.map((image) => [image.key, resolveBaseImage()])),
    commands: Object.fromEntries(plan.containers.map((container) => [container.node, ['sleep', 'infinity']])),
  };
}
