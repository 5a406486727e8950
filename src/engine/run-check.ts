import type Docker from 'dockerode';
import { checkCommand } from '../paths/common.js';
import type { PlannedCheck } from '../plan/plan-types.js';
import { PollAbortError, pollUntil } from '../util/poll.js';
import { execIn } from './exec.js';

export interface CheckResult {
  ok: boolean;
  output: string;
  /** For a failure: what the check's hints say about its output. */
  hints?: string[];
}

/** The hints whose pattern the failed output matches. */
export function hintsFor(check: PlannedCheck, output: string): string[] {
  return (check.hints ?? []).filter((hint) => new RegExp(hint.when, 'm').test(output)).map((hint) => hint.says);
}

const POLL_INTERVAL_MS = 100;

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
  const cmd = checkCommand(check.run);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const result = await Promise.race([execIn(docker, id, cmd), timedOut]).finally(() => clearTimeout(timer));
  // The command may go on running in the container; the check has failed either way.
  if (result === 'timeout') return { ok: false, output: `${cmd.join(' ')}: no answer within ${Math.round(timeoutMs / 1000)}s` };
  const output = `${result.stdout}${result.stderr}`;
  const ok = result.exitCode === 0 && (check.expect === undefined || new RegExp(check.expect, 'm').test(result.stdout));
  const hints = ok ? [] : hintsFor(check, output);
  return { ok, output, ...(hints.length && { hints }) };
}

/**
 * Polls each check in order until it passes, all within one deadline, and returns their outputs. A
 * container of the lab that stops meanwhile fails at once. A failure carries the check's node, the
 * node it is about and the container ids, so a caller can show the right logs.
 */
export async function waitForChecks(
  docker: Docker,
  checks: readonly PlannedCheck[],
  ids: ReadonlyMap<string, string>,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  const outputs: string[] = [];
  // A process that exits under a restart policy comes back: a restart since now is an exit too.
  const restartsAtStart = new Map(
    await Promise.all([...ids].map(async ([node, id]) => [node, (await docker.getContainer(id).inspect()).RestartCount ?? 0] as const)),
  );
  for (const check of checks) {
    const output = await pollUntil(
      check.description,
      async () => {
        // An exec into a container that stopped fails too: that is a failed check, asked about below.
        const { ok, output } = await runCheck(docker, check, ids).catch((error: Error) => ({ ok: false, output: error.message }));
        if (ok) return { done: true, value: output };
        // Only a failed check asks whether a container died: waiting longer cannot help then.
        await Promise.all(
          [...ids].map(async ([node, id]) => {
            const info = await docker.getContainer(id).inspect();
            const restarted = info.State.Restarting || (info.RestartCount ?? 0) > (restartsAtStart.get(node) ?? 0);
            if (info.State.Running && !restarted) return;
            // Once restarted, the state no longer holds the exit code of the run that ended.
            const what = restarted ? 'exited, and the engine is restarting it,' : `stopped (exit code ${info.State.ExitCode})`;
            throw new PollAbortError(
              `${node} ${what} while waiting for: ${check.description}. Fix: its last log lines below say why; correct its image or command: in the lab file and run up again`,
              { cause: id },
            );
          }),
        );
        return { done: false, last: output };
      },
      // A check is one exec (tens of milliseconds), and every interval spent waiting is added to an up.
      { timeoutMs: Math.max(1_000, deadline - Date.now()), intervalMs: POLL_INTERVAL_MS, ...(signal && { signal }) },
    ).catch((error: unknown) => {
      const last = (error as { lastResult?: unknown }).lastResult;
      const hints = typeof last === 'string' ? hintsFor(check, last) : [];
      if (hints.length) (error as Error).message += `\n${hints.join('\n')}`;
      throw Object.assign(error as Error, { node: check.node, about: check.about, ids });
    });
    outputs.push(output);
  }
  return outputs;
}
