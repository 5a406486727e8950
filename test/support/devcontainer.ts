import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { HostUser } from './host-user.js';
import { repoRoot } from './run-bin.js';

/**
 * The devcontainer CLI from the kit's dev dependencies (@devcontainers/cli), as the host user given
 * (the dev container's user takes that user's uid and gid), or as this process for what starts nothing.
 */
export function devcontainer(args: string[], as?: HostUser, timeoutMs = 240_000): { status: number | null; stdout: string; stderr: string } {
  const bin = join(repoRoot, 'node_modules/.bin/devcontainer');
  const result = as ? as.run(bin, args, { timeoutMs }) : spawnSync(bin, args, { encoding: 'utf8', timeout: timeoutMs });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The outcome line `devcontainer up` ends its stdout with. */
export function outcomeOf(stdout: string): { outcome: string; containerId?: string; message?: string } {
  const line = stdout.trim().split('\n').reverse().find((candidate) => candidate.startsWith('{'));
  return line ? JSON.parse(line) : { outcome: 'no outcome line' };
}

/**
 * Makes this checkout the project's vppkit, as the project's `npm install` would (the registry's vppkit is
 * not this checkout's): the dev container's initializeCommand runs `npx --no vppkit build`.
 */
export function linkThisVppkit(projectDir: string): void {
  mkdirSync(join(projectDir, 'node_modules/.bin'), { recursive: true });
  symlinkSync(repoRoot, join(projectDir, 'node_modules/vppkit'));
  symlinkSync('../vppkit/dist/vppkit.js', join(projectDir, 'node_modules/.bin/vppkit'));
}

/**
 * Applies the kit's Dev Container Template to an empty folder as devcontainers/templates' smoke test
 * does: a copy of src/<id>, with each ${templateOption:<name>} replaced by the value given or the
 * option's default; then test/<id> as the workspace's test-project folder.
 */
export function applyTemplate(id: string, workspace: string, values: Record<string, string> = {}): void {
  const source = join(repoRoot, 'devcontainer/src', id);
  const manifest = JSON.parse(readFileSync(join(source, 'devcontainer-template.json'), 'utf8')) as { options: Record<string, { default: string }> };
  const unknown = Object.keys(values).filter((name) => !(name in manifest.options));
  if (unknown.length) throw new Error(`template ${id} has no option ${unknown.join(', ')}`);
  const resolved = Object.fromEntries(Object.entries(manifest.options).map(([name, option]) => [name, values[name] ?? option.default]));
  for (const name of readdirSync(source, { recursive: true }) as string[]) {
    const from = join(source, name);
    if (!statSync(from).isFile()) continue;
    const text = readFileSync(from, 'utf8').replace(/\$\{templateOption:(\w+)\}/g, (_match, option: string) => resolved[option] ?? '');
    mkdirSync(dirname(join(workspace, name)), { recursive: true });
    writeFileSync(join(workspace, name), text, { mode: statSync(from).mode });
  }
  cpSync(join(repoRoot, 'devcontainer/test', id), join(workspace, 'test-project'), { recursive: true });
}
