import { spinner } from '@clack/prompts';
import { silentReporter, type UpReporter } from '../engine/up.js';

/**
 * Progress for long commands: a spinner on a terminal, plain timestamped-free lines without one
 * (CI logs, pipes), nothing with --json (the result is the output).
 */
export function createReporter(mode: { json: boolean; tty: boolean }, out: NodeJS.WritableStream = process.stderr): UpReporter {
  if (mode.json) return silentReporter;
  const started = new Map<string, number>();
  const elapsed = (step: string): string => `${((Date.now() - (started.get(step) ?? Date.now())) / 1000).toFixed(1)}s`;
  if (!mode.tty) {
    return {
      start: (step) => {
        started.set(step, Date.now());
        out.write(`- ${step}\n`);
      },
      detail: (text) => out.write(`    ${text}\n`),
      succeed: (step, summary) => out.write(`  ok ${step}${summary ? `: ${summary}` : ''} (${elapsed(step)})\n`),
      fail: (step) => out.write(`  FAILED ${step} (${elapsed(step)})\n`),
    };
  }
  const spin = spinner({ output: out as NodeJS.WriteStream, indicator: 'timer' });
  let current = '';
  return {
    start: (step) => {
      started.set(step, Date.now());
      current = step;
      spin.start(step);
    },
    detail: (text) => spin.message(`${current}: ${text.slice(0, 100)}`),
    succeed: (step, summary) => spin.stop(`${step}${summary ? `: ${summary}` : ''}`),
    fail: (step) => spin.error(`${step} failed`),
  };
}
