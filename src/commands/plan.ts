import type { Command } from 'commander';
import { loadLab } from '../lab/load-lab.js';
import { buildPlan } from '../plan/build-plan.js';
import { renderPlanText } from '../plan/render-plan-text.js';
import { labFileOption } from './lab-file-option.js';

export function registerPlan(program: Command): void {
  program
    .command('plan')
    .description('show what `vppkit up` would create, with every privilege and why; --json for tools')
    .addOption(labFileOption())
    .option('--json', 'print the plan as JSON')
    .action(async (options: { file: string; json?: boolean }) => {
      const plan = buildPlan(await loadLab(options.file));
      process.stdout.write(options.json ? `${JSON.stringify(plan, null, 2)}\n` : renderPlanText(plan));
    });
}
