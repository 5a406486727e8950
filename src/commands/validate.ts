import type { Command } from 'commander';
import { loadLab } from '../lab/load-lab.js';
import { labFileOption } from './lab-file-option.js';

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('check a lab file; every problem is reported with its line, column and a fix')
    .addOption(labFileOption())
    .action(async (options: { file: string }) => {
      const lab = await loadLab(options.file);
      const paths = lab.apps.map((app) => `${app.name} (${app.path})`).join(', ');
      process.stdout.write(`${options.file}: lab "${lab.name}" is valid: ${lab.apps.length} app${lab.apps.length === 1 ? '' : 's'}: ${paths}\n`);
    });
}
