import type Docker from 'dockerode';
import { containerLogs } from '../../src/engine/container-logs.js';
import { execIn, type ExecResult } from '../../src/engine/exec.js';
import { createPlannedContainer, createPlannedNetwork, createPlannedVolume } from '../../src/engine/planned-resources.js';
import { waitForChecks } from '../../src/engine/run-check.js';
import type { Plan } from '../../src/plan/plan-types.js';
import { pollUntil } from '../../src/util/poll.js';

/** The plan with a test run's labels added to everything, so the run's cleanup finds it all. */
export function labelledForTest(plan: Plan, labels: Record<string, string>): Plan {
  return {
    ...plan,
    volumes: plan.volumes.map((volume) => ({ ...volume, labels: { ...volume.labels, ...labels } })),
    networks: plan.networks.map((network) => ({ ...network, labels: { ...network.labels, ...labels } })),
    containers: plan.containers.map((container) => ({ ...container, labels: { ...container.labels, ...labels } })),
  };
}

export interface BootedVpp {
  id: string;
  ids: Map<string, string>;
  vppctl: (...args: string[]) => Promise<ExecResult>;
}

/**
 * Creates the plan's volumes, networks and VPP container, starts VPP and waits for the plan's VPP
 * readiness: its CLI answers and its configuration is applied. A VPP that exits fails at once; the
 * failure shows VPP's last log lines.
 */
export async function bootPlannedVpp(docker: Docker, plan: Plan, vppImage: string): Promise<BootedVpp> {
  for (const volume of plan.volumes) await createPlannedVolume(docker, volume);
  for (const network of plan.networks) await createPlannedNetwork(docker, network);
  const planned = plan.containers.find((container) => container.role === 'vpp')!;
  const container = await createPlannedContainer(docker, planned, { image: vppImage, containerIds: new Map() });
  await container.start();
  const ids = new Map([[planned.node, container.id]]);
  await waitForChecks(docker, plan.vppReady, ids, 90_000).catch(async (error: Error) => {
    throw new Error(`${error.message}\nVPP's last log lines:\n${await containerLogs(docker, container.id, 30)}`);
  });
  const vppctl = (...args: string[]) => execIn(docker, container.id, ['vppctl', '-s', '/run/vpp/cli.sock', ...args]);
  return { id: container.id, ids, vppctl };
}

/** Polls a vppctl command until its output matches. */
export async function vppctlUntil(vpp: BootedVpp, args: string[], pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  return pollUntil(
    `vppctl ${args.join(' ')} to match ${pattern}`,
    async () => {
      const result = await vpp.vppctl(...args);
      return pattern.test(result.stdout) ? { done: true, value: result.stdout } : { done: false, last: result.stdout || result.stderr };
    },
    { timeoutMs },
  );
}
