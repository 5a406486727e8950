import type Docker from 'dockerode';
import { CLI_SOCKET } from '../paths/common.js';
import type { PlannedCheck } from '../plan/plan-types.js';
import { pollUntil } from '../util/poll.js';
import { execIn } from './exec.js';

export interface CheckResult {
  ok: boolean;
  output: string;
}

/** How long one run of a check may take: an app's own check can hang (a client waiting for an echo). */
export const CHECK_TIMEOUT_MS = 30_000;

/** Runs a planned check once: vppctl in VPP's container, or a command in the node's own container. */
export async function runCheck(
  docker: Docker,
  check: PlannedCheck,
  containerIds: ReadonlyMap<string, string>,
  timeoutMs = CHECK_TIMEOUT_MS,
): Promise<CheckResult> {
  const id = containerIds.get(check.node);
  if (!id) throw new Error(`no container for node "${check.node}" (check: ${check.description})`);
  const cmd = check.run.kind === 'vppctl' ? ['vppctl', '-s', CLI_SOCKET, ...check.run.args] : check.run.cmd;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const result = await Promise.race([execIn(docker, id, cmd), timedOut]).finally(() => clearTimeout(timer));
  // The command may go on running in the container; the check has failed either way.
  if (result === 'timeout') return { ok: false, output: `${cmd.join(' ')}: no answer within ${Math.round(timeoutMs / 1000)}s` };
  const output = `${result.stdout}${result.stderr}`;
  const ok = result.exitCode === 0 && (check.expect === undefined || new RegExp(check.expect, 'm').test(result.stdout));
  return { ok, output };
}

/** Polls a check until it passes; the timeout error names the check and shows its last output. */
export async function waitForCheck(
  docker: Docker,
  check: PlannedCheck,
  containerIds: ReadonlyMap<string, string>,
  timeoutMs: number,
): Promise<string> {
  return pollUntil(
    check.description,
    async () => {
      const { ok, output } = await runCheck(docker, check, containerIds);
      return ok ? { done: true, value: output } : { done: false, last: output };
    },
    { timeoutMs },
  );
}
