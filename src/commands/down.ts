import type { Command } from 'commander';
import type { DownResult } from '../engine/down.js';
import { addLabTarget, labName, type LabTargetOptions } from './lab-target.js';

export function registerDown(program: Command): void {
  addLabTarget(
    program.command('down').description('remove every container, volume and network of the lab (images stay, so the next up is quick)'),
  )
    .option('--all', 'remove every vppkit lab on this engine')
    .option('--json', 'print what was removed as JSON')
    .action(async (options: LabTargetOptions & { all?: boolean; json?: boolean }) => {
      const target = options.all ? ({ all: true } as const) : { lab: await labName(options) };
      const { createDockerClient } = await import('../engine/docker-client.js');
      const { down, removedBy } = await import('../engine/down.js');
      const { describeHolder } = await import('../engine/lock-holder.js');
      const noteTakeOvers = (result: DownResult | undefined): void => {
        for (const { lab, holder } of result?.locksTakenOver ?? []) {
          process.stderr.write(`vppkit: lab ${lab}'s lock was left by ${describeHolder(holder)}, which is gone: taken over and removed\n`);
        }
      };
      const docker = await createDockerClient();
      const removed = await down(docker, target).catch((error: unknown) => {
        noteTakeOvers(removedBy(error));
        throw error;
      });
      noteTakeOvers(removed);
      if (options.json) {
        process.stdout.write(`${JSON.stringify(removed, null, 2)}\n`);
        return;
      }
      const what = 'lab' in target ? `lab ${target.lab}` : 'all labs';
      const count = removed.containers.length + removed.networks.length + removed.volumes.length;
      process.stdout.write(
        count === 0
          ? `${what}: nothing to remove\n`
          : `${what}: removed ${removed.containers.length} containers, ${removed.networks.length} networks, ${removed.volumes.length} volumes\n`,
      );
    });
}
