import type { Command } from 'commander';
import { loadLab } from '../lab/load-lab.js';
import { buildPlan, VPP_NODE } from '../plan/build-plan.js';
import { labFileOption } from './lab-file-option.js';

export function registerRestart(program: Command): void {
  program
    .command('restart')
    .description('restart a node (default: vpp) and wait until the lab is wired again; after VPP, restarts the apps that cannot reattach')
    .argument('[node]', 'vpp, or an app\'s name', VPP_NODE)
    .addOption(labFileOption())
    .option('--json', 'print what was done as JSON')
    .action(async (node: string, options: { file: string; json?: boolean }) => {
      const plan = buildPlan(await loadLab(options.file));
      const { createDockerClient } = await import('../engine/docker-client.js');
      const { withLabLock } = await import('../engine/lab-lock.js');
      const { restartNode } = await import('../engine/restart.js');
      const docker = await createDockerClient();
      // Held like up's: an up or down meanwhile would race the restarts.
      const result = await withLabLock(docker, plan.lab, 'restart', () =>
        restartNode(docker, plan, node, (step) => {
          if (options.json) return;
          const what = step.action === 'restarted' ? 'restarted' : 'left alone, it reconnects by itself';
          process.stdout.write(`${step.node}: ${what}${step.why && step.node !== node ? ` (${step.why})` : ''}\n`);
        }),
      );
      if (options.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      else process.stdout.write(`Lab ${plan.lab} is wired again after ${result.seconds.toFixed(1)} s: run vppkit check to test it.\n`);
    });
}
