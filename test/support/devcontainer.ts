import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './run-bin.js';

/** The devcontainer CLI from the kit's dev dependencies (@devcontainers/cli). */
export function devcontainer(args: string[], timeoutMs = 600_000): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(join(repoRoot, 'node_modules/.bin/devcontainer'), args, { encoding: 'utf8', timeout: timeoutMs });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The outcome line `devcontainer up` ends its stdout with. */
export function outcomeOf(stdout: string): { outcome: string; containerId?: string; message?: string } {
  const line = stdout.trim().split('\n').reverse().find((candidate) => candidate.startsWith('{'));
  return line ? JSON.parse(line) : { outcome: 'no outcome line' };
}

/**
 * Makes this checkout the project's vppkit, as `npm install vppkit` would from the registry (which this
 * machine cannot reach): the dev container's initializeCommand runs `npx --yes vppkit build`.
 */
export function linkThisVppkit(projectDir: string): void {
  mkdirSync(join(projectDir, 'node_modules/.bin'), { recursive: true });
  symlinkSync(repoRoot, join(projectDir, 'node_modules/vppkit'));
  symlinkSync('../vppkit/dist/vppkit.js', join(projectDir, 'node_modules/.bin/vppkit'));
}
