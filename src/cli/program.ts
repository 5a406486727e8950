import { Command, CommanderError } from 'commander';
import { inWords } from '../engine/engine-errors.js';
import { LabFileError } from '../lab/lab-error.js';
import { UsageError } from '../util/usage-error.js';
import { VERSION } from '../version.js';

/**
 * A commander program that behaves the same in both bins: --help and --version, one-line errors
 * naming the bin, and non-zero exits on every failure (never a logged error that still exits 0).
 */
export function createProgram(name: string, description: string): Command {
  const program = new Command(name)
    .description(description)
    .version(VERSION, '-V, --version', 'print the version and exit')
    .helpOption('-h, --help', 'show this help')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(`${name}: ${oneLine(text)}\n`) });
  return program;
}

export async function runProgram(program: Command, argv: readonly string[] = process.argv): Promise<void> {
  // `vppkit status | head`: a reader that stops early is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version end here with code 0; usage errors already printed their one line, and exit
      // 2 as usage errors do (1 is a command that ran and failed).
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    // The engine client's words ("connect EACCES /var/run/docker.sock") become what is wrong and the fix.
    error = inWords(error);
    // A lab file's problems are one line each, compiler-style (file:line:col: ...), so editors link them.
    const text = error instanceof LabFileError ? error.message : `${program.name()}: ${oneLine(error instanceof Error ? error.message : String(error))}`;
    // Some failures bring the evidence with them (a failing container's last log lines).
    const details = (error as { details?: unknown }).details;
    process.stderr.write(`${text}\n${typeof details === 'string' && details ? `${details}\n` : ''}`);
    // A command may have set its own code already (130 after Ctrl-C).
    if (!process.exitCode) process.exitCode = error instanceof UsageError ? 2 : 1;
  }
}

function oneLine(text: string): string {
  return text
    .replace(/^error: /, '')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .join(' ');
}
