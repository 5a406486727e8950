import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { writeGeneratedFiles, type WriteResult } from '../export/generated-files.js';
import { composeExport, devcontainerExport, ownedBy } from '../export/project-exports.js';
import { loadLab } from '../lab/load-lab.js';
import { buildPlan } from '../plan/build-plan.js';
import { labFileOption } from './lab-file-option.js';

export function registerExport(program: Command): void {
  const exportCommand = program
    .command('export')
    .description('render the lab for other tools, from the same plan as vppkit up (files go beside the lab file)');
  exportCommand
    .command('compose')
    .description('compose.yaml for docker-compose (v1) and docker compose, and the container files it mounts (.vppkit/files)')
    .addOption(labFileOption())
    .option('--force', 'replace files that were edited since they were generated (each is kept as <file>.bak)')
    .action(async (options: { file: string; force?: boolean }) => {
      const plan = buildPlan(await loadLab(options.file));
      const projectDir = dirname(resolve(options.file));
      report(writeGeneratedFiles(projectDir, composeExport(plan, projectDir), { force: Boolean(options.force), owns: ownedBy.compose }), [
        'npx vppkit build             # the VPP and app-dev images compose.yaml names',
        'docker-compose up -d --build # or: docker compose up -d --build',
      ]);
    });
  exportCommand
    .command('devcontainer')
    .description('.devcontainer/ for VS Code and the devcontainer CLI: an app\'s container as the dev container, VPP beside it')
    .addOption(labFileOption())
    .option('--app <name>', 'the app whose container is the dev container (default: the only app built from source)')
    .option('--force', 'replace files that were edited since they were generated (each is kept as <file>.bak)')
    .action(async (options: { file: string; app?: string; force?: boolean }) => {
      const plan = buildPlan(await loadLab(options.file));
      const projectDir = dirname(resolve(options.file));
      const files = devcontainerExport(plan, projectDir, { ...(options.app && { app: options.app }) });
      report(writeGeneratedFiles(projectDir, files, { force: Boolean(options.force), owns: ownedBy.devcontainer }), [
        'code .                                      # then: Reopen in Container',
        'npx devcontainer up --workspace-folder .    # or with the devcontainer CLI',
      ]);
    });
}

function report(result: WriteResult, next: string[]): void {
  const lines = [
    ...result.written.map((path) => `wrote     ${path}`),
    ...result.unchanged.map((path) => `unchanged ${path}`),
    ...result.removed.map((path) => `removed   ${path} (no longer part of the lab)`),
    ...result.movedAside.map(([path, aside]) => `kept your edited ${path} as ${aside}`),
    '',
    'next:',
    ...next.map((line) => `  ${line}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
