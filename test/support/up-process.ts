import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Plan } from '../../src/plan/plan-types.js';
import { repoRoot } from './run-bin.js';

export interface Exited {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** From the start (or from go(), when it waited for it) to the exit. */
  ms: number;
}

export interface UpProcess {
  pid: number;
  /** Resolves once stdout or stderr has matched. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Starts the up of a process started with `onGo`. */
  go(): void;
  kill(signal: NodeJS.Signals): void;
  exited: Promise<Exited>;
}

export interface UpProcesses {
  /** `up` of this plan in a process of its own; with `onGo`, once told to go. */
  start(plan: Plan, options?: { onGo?: boolean }): Promise<UpProcess>;
  close(): Promise<void>;
}

/**
 * Processes that each run the engine's `up` of a plan (up-process.entry.ts, bundled once with esbuild
 * under node_modules/.cache so its packages resolve): other vppkit processes at work on a lab, for
 * locks between processes and for a vppkit killed mid-way, on the base image without VPP.
 */
export async function upProcesses(): Promise<UpProcesses> {
  const cache = join(repoRoot, 'node_modules/.cache/vppkit-test');
  await mkdir(cache, { recursive: true });
  const dir = await mkdtemp(join(cache, 'up-process-'));
  const bundle = join(dir, 'up-process.mjs');
  await build({
    entryPoints: [join(repoRoot, 'test/support/up-process.entry.ts')],
    outfile: bundle,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  let count = 0;
  return {
    async start(plan, options = {}) {
      const planFile = join(dir, `plan-${++count}.json`);
      await writeFile(planFile, JSON.stringify(plan));
      const child = spawn(process.execPath, [bundle, planFile, ...(options.onGo ? ['--on-go'] : [])], { stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      let startedAt = Date.now();
      const listeners = new Set<() => void>();
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        for (const listener of listeners) listener();
      });
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        for (const listener of listeners) listener();
      });
      const exited = new Promise<Exited>((resolve) => {
        child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, ms: Date.now() - startedAt }));
      });
      const waitFor = (pattern: RegExp, timeoutMs = 60_000): Promise<void> =>
        new Promise((resolve, reject) => {
          const check = (): void => {
            if (!pattern.test(stdout) && !pattern.test(stderr)) return;
            listeners.delete(check);
            clearTimeout(timer);
            resolve();
          };
          const timer = setTimeout(() => {
            listeners.delete(check);
            reject(new Error(`up process ${child.pid} did not print ${pattern} within ${timeoutMs} ms; stdout:\n${stdout}\nstderr:\n${stderr}`));
          }, timeoutMs);
          listeners.add(check);
          void exited.then(() => {
            if (!listeners.has(check)) return;
            listeners.delete(check);
            clearTimeout(timer);
            reject(new Error(`up process ${child.pid} exited before printing ${pattern}; stdout:\n${stdout}\nstderr:\n${stderr}`));
          });
          check();
        });
      if (options.onGo) await waitFor(/^waiting$/m);
      return {
        pid: child.pid!,
        waitFor,
        go: () => {
          startedAt = Date.now();
          child.stdin.write('go\n');
        },
        kill: (signal) => child.kill(signal),
        exited,
      };
    },
    close: () => rm(dir, { recursive: true, force: true }),
  };
}
