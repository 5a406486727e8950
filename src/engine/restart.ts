import type Docker from 'dockerode';
import type { Plan, PlannedContainer } from '../plan/plan-types.js';
import { labContainers, type LabContainer } from './lab-state.js';
import { runNetnsStep } from './netns-step.js';
import { waitForChecks } from './run-check.js';

/** As `up` allows: VPP's boot and an app's attach take seconds; a minute more is a failure, not slowness. */
const READY_WITHIN_MS = 120_000;
/** docker restart's grace before SIGKILL: VPP and the apps stop in well under a second. */
const STOP_GRACE_S = 10;

export interface RestartStep {
  node: string;
  /** restarted: by this command; rewired-itself: left alone, its path reconnects by itself. */
  action: 'restarted' | 'rewired-itself';
  why?: string;
}

export interface RestartResult {
  steps: RestartStep[];
  seconds: number;
}

/**
 * Restarts one node and waits until the lab is wired again. VPP's entry script applies the lab's CLI
 * on every start; then the apps whose path cannot reattach to a new VPP are restarted (the rest are
 * only waited for), and every app's readiness checks must pass.
 */
export async function restartNode(docker: Docker, plan: Plan, node: string, onStep: (step: RestartStep) => void = () => undefined): Promise<RestartResult> {
  const started = Date.now();
  const containers = await labContainers(docker, plan.lab);
  if (!containers.length) throw new Error(`lab "${plan.lab}" is not up: run vppkit up`);
  const planned = plan.containers.find((container) => container.node === node);
  const found = containers.find((container) => container.node === node);
  if (!planned || !found) throw new Error(`lab "${plan.lab}" has no node "${node}"; its nodes: ${containers.map((c) => c.node).join(', ')}`);
  // The plan's nodes only: a lab started by compose also has exited one-shot containers (af_xdp's
  // <app>_netns), which readiness must not take for a node that stopped.
  const ids = new Map(containers.filter((container) => plan.containers.some((p) => p.node === container.node)).map((container) => [container.node, container.id]));
  const steps: RestartStep[] = [];
  const step = (done: RestartStep): void => {
    steps.push(done);
    onStep(done);
  };

  if (planned.role === 'app') {
    await docker.getContainer(found.id).restart({ t: STOP_GRACE_S });
    // A restarted container has a new network namespace: its path's set-up there is done again.
    const vpp = plan.containers.find((container) => container.role === 'vpp');
    const vppId = vpp && ids.get(vpp.node);
    if (planned.netnsStep && vppId) {
      const vppImage = (await docker.getContainer(vppId).inspect()).Image;
      await runNetnsStep(docker, planned.netnsStep, { node, containerId: found.id, vppImage, labels: plan.labels });
    }
    step({ node, action: 'restarted' });
    await waitForChecks(docker, plan.appsReady.filter((check) => check.about === node), ids, READY_WITHIN_MS);
    return { steps, seconds: (Date.now() - started) / 1000 };
  }

  // Those that cannot reattach are stopped first (a user's stop: their guard and restart policy stay
  // out of it) and started once VPP is ready, so nothing restarts them twice.
  const [rewiring, stopped] = partition(appsOf(plan, containers), (app) => app.planned.afterVppRestart?.rewiresItself === true);
  for (const app of stopped) await docker.getContainer(app.found.id).stop({ t: STOP_GRACE_S }).catch(ignoreNotRunning);
  await docker.getContainer(found.id).restart({ t: STOP_GRACE_S });
  step({ node, action: 'restarted' });
  await waitForChecks(docker, plan.vppReady, new Map([[node, found.id]]), READY_WITHIN_MS);
  for (const app of rewiring) step({ node: app.planned.node, action: 'rewired-itself', why: app.planned.afterVppRestart!.why });
  for (const app of stopped) {
    await docker.getContainer(app.found.id).start();
    step({ node: app.planned.node, action: 'restarted', ...(app.planned.afterVppRestart && { why: app.planned.afterVppRestart.why }) });
  }
  await waitForChecks(docker, plan.appsReady, ids, READY_WITHIN_MS);
  return { steps, seconds: (Date.now() - started) / 1000 };
}

function partition<T>(items: readonly T[], test: (item: T) => boolean): [T[], T[]] {
  return [items.filter(test), items.filter((item) => !test(item))];
}

/** 304: the container was not running, which is what a stop wants. */
function ignoreNotRunning(error: { statusCode?: number }): void {
  if (error.statusCode !== 304) throw error;
}

function appsOf(plan: Plan, containers: readonly LabContainer[]): { planned: PlannedContainer; found: LabContainer }[] {
  return plan.containers.flatMap((planned) => {
    const found = containers.find((container) => container.node === planned.node);
    return planned.role === 'app' && found ? [{ planned, found }] : [];
  });
}

/**
 * Apps that VPP restarted under (by the engine after a crash, or a `docker restart`), whose path
 * cannot reattach by itself: each started before VPP's current start. They stay unwired until they
 * restart (`vppkit restart`).
 */
export async function staleApps(docker: Docker, plan: Plan, containers: readonly LabContainer[]): Promise<Set<string>> {
  const startedAt = async (id: string): Promise<number> => Date.parse((await docker.getContainer(id).inspect()).State.StartedAt);
  const vpp = containers.find((container) => plan.containers.some((planned) => planned.role === 'vpp' && planned.node === container.node));
  if (!vpp?.running) return new Set();
  const vppStart = await startedAt(vpp.id);
  const stale = new Set<string>();
  for (const app of appsOf(plan, containers)) {
    if (app.planned.afterVppRestart?.rewiresItself !== false || !app.found.running) continue;
    if ((await startedAt(app.found.id)) < vppStart) stale.add(app.planned.node);
  }
  return stale;
}
