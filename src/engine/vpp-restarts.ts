import type Docker from 'dockerode';
import { VPP_NODE } from '../plan/build-plan.js';
import { containerLogs } from './container-logs.js';
import type { LabContainer } from './lab-state.js';

export interface VppRestarts {
  lab: string;
  /** How often the engine restarted VPP since its container was created (its restart policy). */
  restarts: number;
  /** Between a crash and the next start: the engine backs off, doubling the wait, while VPP keeps crashing. */
  restarting: boolean;
  /** VPP's last log lines: after a crash, VPP's own signal handler has written the backtrace there. */
  lastLines: string;
}

/** Every listed VPP that crashed since `up` (the engine restarted it), with its last log lines. */
export async function vppRestarts(docker: Docker, containers: readonly LabContainer[], tail = 25): Promise<VppRestarts[]> {
  const found = await Promise.all(
    containers
      .filter((container) => container.node === VPP_NODE)
      .map(async (container): Promise<VppRestarts | undefined> => {
        const info = await docker.getContainer(container.id).inspect();
        if (!info.RestartCount && !info.State.Restarting) return undefined;
        return { lab: container.lab, restarts: info.RestartCount, restarting: info.State.Restarting, lastLines: await containerLogs(docker, container.id, tail) };
      }),
  );
  return found.filter((restarts): restarts is VppRestarts => restarts !== undefined);
}

/** How to get more than the log's backtrace: a core, read with the lab's app-dev image (it has gdb). */
export const CORE_HINT =
  'for a core: add `startup: { unix: "full-coredump" }` under vpp in the lab file (the host\'s core_pattern decides where cores go; with a plain pattern, in VPP\'s container), then read it with gdb in the app-dev image: docker run --rm -it -v <core>:/core vppkit.invalid/<lab>:app-dev gdb vpp /core';
