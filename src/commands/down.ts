import type { Command } from 'commander';
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
      const { down } = await import('../engine/down.js');
      const removed = await down(await createDockerClient(), target);
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
