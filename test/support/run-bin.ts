import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface BinResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Where the build puts each package's bin. */
export const BIN_PATHS = {
  vppkit: `${repoRoot}dist/vppkit.js`,
  'create-vpp-app': `${repoRoot}packages/create-vpp-app/dist/index.js`,
} as const;

/** Runs a built bin the way a user's shell would, with no terminal attached. */
export function runBin(
  name: 'vppkit' | 'create-vpp-app',
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): BinResult {
  const result = spawnSync(process.execPath, [BIN_PATHS[name], ...args], {
    cwd: options.cwd ?? repoRoot,
    env: { ...process.env, ...options.env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: options.timeoutMs ?? 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
