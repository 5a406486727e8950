import yoctoSpinner from 'yocto-spinner';
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
  // No stdin handling and no signal handlers of its own: Ctrl-C stays a SIGINT for the command's own
  // handler, which rolls the step back (a raw-mode terminal would swallow it, or exit 0 at once).
  const spin = yoctoSpinner({ stream: out as NodeJS.WriteStream, handleSignals: false });
  let current = '';
  // The step's own output (a build's lines) shows one line at a time; kept, so a failure can show
  // the lines that say why (a compiler's errors) after the spinner is gone.
  let recent: string[] = [];
  return {
    start: (step) => {
      started.set(step, Date.now());
      current = step;
      recent = [];
      spin.start(step);
    },
    detail: (text) => {
      recent = [...recent.slice(-(FAILURE_LINES - 1)), text];
      spin.text = `${current}: ${text.slice(0, 100)}`;
    },
    succeed: (step, summary) => spin.success(`${step}${summary ? `: ${summary}` : ''} (${elapsed(step)})`),
    fail: (step) => {
      spin.error(`${step} failed (${elapsed(step)})`);
      if (recent.length) out.write(`${recent.map((line) => `    ${line}`).join('\n')}\n`);
    },
  };
}

/** How many of a failed step's last output lines a terminal keeps. */
const FAILURE_LINES = 30;
