import type { Command } from 'commander';
import type Docker from 'dockerode';
import type { LabContainer } from '../engine/lab-state.js';
import type { VppRestarts } from '../engine/vpp-restarts.js';
import type { Lab } from '../lab/lab-model.js';
import { buildPlan, VPP_NODE } from '../plan/build-plan.js';
import { addLabTarget, labIfPresent, type LabTargetOptions } from './lab-target.js';

export function registerStatus(program: Command): void {
  addLabTarget(program.command('status').description('the lab\'s containers and their state (every lab when there is no lab file)'))
    .option('--json', 'print as JSON')
    .action(async (options: LabTargetOptions & { json?: boolean }) => {
      const target = await labIfPresent(options);
      const lab = typeof target === 'string' ? target : target?.name;
      const { createDockerClient } = await import('../engine/docker-client.js');
      const { labContainers } = await import('../engine/lab-state.js');
      const { describeLock, labLocks } = await import('../engine/lab-lock.js');
      const docker = await createDockerClient();
      const [found, locks] = await Promise.all([labContainers(docker, lab), labLocks(docker, lab)]);
      // Which apps VPP restarted under takes the lab's plan (each path's fact): known with a lab file.
      const stale = typeof target === 'object' && found.length ? await staleOf(docker, target, found) : new Set<string>();
      const containers = found.map((c) => (stale.has(c.node) ? { ...c, stale: true } : c));
      const { vppRestarts, CORE_HINT } = await import('../engine/vpp-restarts.js');
      const crashes = await vppRestarts(docker, found);
      if (options.json) {
        process.stdout.write(`${JSON.stringify(containers.map((c) => withRestarts(c, crashes)), null, 2)}\n`);
        return;
      }
      // A VPP that crashed is news even when it is back: its backtrace is in its log until the next crash.
      const crashLines = crashes
        .map((c) => `lab ${c.lab}: VPP crashed and the engine restarted it ${c.restarts} time(s)${c.restarting ? ' (restarting now: it keeps crashing)' : ''}; its last lines:\n${c.lastLines.trimEnd().replace(/^/gm, '  ')}\n${CORE_HINT}\n`)
        .join('');
      // A lock is news: another vppkit at work, or one that is gone and left it (the next up or down takes it over).
      const lockLines = locks.map((found) => `${describeLock(found.lab, found.holder)}\n`).join('');
      if (!containers.length) {
        process.stdout.write(`${lab ? `lab ${lab} is not up` : 'no vppkit labs are up'}\n${lockLines}`);
        return;
      }
      const rows = [['LAB', 'NODE', 'CONTAINER', 'STATE', 'STATUS'], ...containers.map((c) => [c.lab, c.node, c.name, c.state, 'stale' in c ? `${c.status}; stale: VPP restarted after it, run vppkit restart` : c.status])];
      const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
      process.stdout.write(rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n') + '\n' + lockLines + crashLines);
    });
}

async function staleOf(docker: Docker, lab: Lab, containers: readonly LabContainer[]): Promise<Set<string>> {
  const { staleApps } = await import('../engine/restart.js');
  return staleApps(docker, buildPlan(lab), containers);
}

function withRestarts<T extends LabContainer>(container: T, crashes: readonly VppRestarts[]): T | (T & { restarts: number }) {
  const crash = container.node === VPP_NODE ? crashes.find((c) => c.lab === container.lab) : undefined;
  return crash ? { ...container, restarts: crash.restarts } : container;
}
