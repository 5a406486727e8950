// Whole-process timing, two commands side by side: A and B run in turn (A B A B ...) after a warm-up,
// so a drift in the machine's speed touches both; each pair gives a ratio A/B, and the median ratio
// is the figure to quote (these machines are noisy).
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';

/** Runs a command once and returns its wall time in seconds; a failure stops the benchmark. */
export function timeOnce({ cmd, args = [], cwd, env }) {
  const started = performance.now();
  const result = spawnSync(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return seconds;
}

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/**
 * a and b are functions returning a { cmd, args, cwd, env } for run i (a fresh folder each time, say).
 * Returns the medians and the median of the pairwise ratios.
 */
export function sideBySide({ a, b, runs = 15, warmup = 2 }) {
  for (let i = 0; i < warmup; i++) {
    timeOnce(a(-1 - i));
    timeOnce(b(-1 - i));
  }
  const as = [];
  const bs = [];
  for (let i = 0; i < runs; i++) {
    as.push(timeOnce(a(i)));
    bs.push(timeOnce(b(i)));
  }
  const ratios = as.map((value, i) => value / bs[i]);
  return { a: median(as), b: median(bs), ratio: median(ratios), ratioMin: Math.min(...ratios), ratioMax: Math.max(...ratios), runs };
}

/** One result line, the target beside it; the verdict is the reader's. */
export function report(name, result, target) {
  const s = (value) => `${(value * 1000).toFixed(0)} ms`;
  console.log(
    `${name.padEnd(58)} ${s(result.a).padStart(8)} vs ${s(result.b).padStart(8)}  ratio ${result.ratio.toFixed(2)} ` +
      `(${result.ratioMin.toFixed(2)}-${result.ratioMax.toFixed(2)}, ${result.runs} pairs)  target <= ${target}  ${result.ratio <= target ? 'met' : 'NOT met'}`,
  );
}
