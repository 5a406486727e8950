import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { outOfDate, wasGenerated, writeGeneratedFiles, type GeneratedFile, type WriteResult } from '../export/generated-files.js';
import { COMPOSE_FILE, composeExport, DEVCONTAINER_DIR, devcontainerExport, ownedBy } from '../export/project-exports.js';
import type { Plan } from '../plan/plan-types.js';
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
        ...staleOther(projectDir, 'devcontainer', () => devcontainerExport(plan, projectDir, { ...devcontainerOptions(projectDir, plan) })),
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
        'code .                                            # then: Reopen in Container',
        'npx @devcontainers/cli up --workspace-folder .    # or with the devcontainer CLI',
        ...staleOther(projectDir, 'compose', () => composeExport(plan, projectDir)),
      ]);
    });
}

const DEVCONTAINER_JSON = `${DEVCONTAINER_DIR}/devcontainer.json`;

/**
 * The other export shares .vppkit/files with this one: when an earlier run of it made files that no
 * longer match the lab, say so (its compose file may mount container files this export changed).
 */
function staleOther(projectDir: string, other: 'compose' | 'devcontainer', render: () => GeneratedFile[]): string[] {
  if (!wasGenerated(projectDir, other === 'compose' ? COMPOSE_FILE : DEVCONTAINER_JSON)) return [];
  let files: GeneratedFile[];
  try {
    files = render().filter((file) => ownedBy[other](file.path));
  } catch {
    return [];
  }
  const stale = outOfDate(projectDir, files);
  return stale.length ? [`npx vppkit export ${other}      # ${stale.join(', ')} ${stale.length === 1 ? 'is' : 'are'} out of date with the lab`] : [];
}

/** The dev container's app as the last export chose it (its service), so a re-render compares like with like. */
function devcontainerOptions(projectDir: string, plan: Plan): { app?: string } {
  const file = join(projectDir, DEVCONTAINER_JSON);
  if (!existsSync(file)) return {};
  try {
    const config = JSON.parse(readFileSync(file, 'utf8').replace(/^\s*\/\/.*$/gm, '')) as { service?: string };
    return config.service && plan.containers.some((container) => container.node === config.service) ? { app: config.service } : {};
  } catch {
    return {};
  }
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
