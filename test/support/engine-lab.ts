import { resolveBaseImage } from '../../src/config/defaults.js';
import { stableNumber } from '../../src/paths/common.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import type { Plan, PlannedImage } from '../../src/plan/plan-types.js';
import { lab } from './lab-fixtures.js';
import { labelledForTest } from './vpp-lab.js';

/**
 * A plan for an engine test: a unique lab name, the test run's labels on everything, and (unless the
 * lab gives one) a /22 pool of its own. Test files run side by side, and the default pools (one /16 of
 * a hundred, from the lab's name) of two labs with link networks would collide now and then.
 */
export function enginePlan(run: { id: string; labels: Record<string, string> }, name: string, yamlBody: string): Plan {
  const labName = `t${run.id}-${name}`;
  const pool = /^pool:/m.test(yamlBody) ? '' : `${testPoolLine(labName)}\n`;
  return labelledForTest(buildPlan(lab(`name: ${labName}\n${pool}${yamlBody}`)), run.labels);
}

/** `pool: <a /22 of its own>` for a test lab: one of 3,200 in 10.200-249.x, from the lab's name. */
export function testPoolLine(labName: string): string {
  const block = stableNumber(labName, 50 * 64);
  return `pool: 10.${200 + Math.floor(block / 64)}.${(block % 64) * 4}.0/22`;
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

/** No readiness checks, and no set-up run from VPP's image (af_xdp's ethtool): for stand-ins that are not VPP. */
export function withoutReadiness(plan: Plan): Plan {
  return {
    ...plan,
    vppReady: [],
    appsReady: [],
    containers: plan.containers.map(({ netnsStep: _step, ...container }) => container),
  };
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
