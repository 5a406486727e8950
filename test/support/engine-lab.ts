import { resolveBaseImage } from '../../src/config/defaults.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import type { Plan, PlannedImage } from '../../src/plan/plan-types.js';
import { lab } from './lab-fixtures.js';
import { labelledForTest } from './vpp-lab.js';

/** A plan for an engine test: a unique lab name, the test run's labels on everything. */
export function enginePlan(run: { id: string; labels: Record<string, string> }, name: string, yamlBody: string): Plan {
  return labelledForTest(buildPlan(lab(`name: t${run.id}-${name}\n${yamlBody}`)), run.labels);
}

// Stand-ins are plan -> plan transforms: `up` and the exports take them as they take any plan.

const IDLE = ['sleep', 'infinity'];

/** These nodes run these commands in place of their own. */
export function withCommands(plan: Plan, commands: Readonly<Record<string, string[]>>): Plan {
  return {
    ...plan,
    containers: plan.containers.map((container) => {
      const command = commands[container.node];
      return command ? { ...container, command } : container;
    }),
  };
}

/** These nodes (all by default) run doing nothing. */
export function idle(plan: Plan, nodes: readonly string[] = plan.containers.map((container) => container.node)): Plan {
  return withCommands(plan, Object.fromEntries(nodes.map((node) => [node, IDLE])));
}

/** No readiness checks: for stand-ins that never get ready. */
export function withoutReadiness(plan: Plan): Plan {
  return { ...plan, vppReady: [], appsReady: [] };
}

/**
 * Every node runs the base image doing nothing, in place of VPP and the apps: what is under test is
 * the wiring the engine gives them, not VPP.
 */
export function onBaseImage(plan: Plan): Plan {
  const base = resolveBaseImage();
  const images = plan.images.map((image): PlannedImage => {
    if (image.source.kind === 'vpp') return { ...image, source: { kind: 'vpp', vpp: { kind: 'image', image: base } }, ref: base };
    if (image.source.kind === 'app-dev') return image;
    return { ...image, source: { kind: 'pull', image: base }, ref: base };
  });
  return idle({ ...plan, images });
}

/** onBaseImage, and nothing waits for readiness. */
export function wiredOnBaseImage(plan: Plan): Plan {
  return withoutReadiness(onBaseImage(plan));
}
