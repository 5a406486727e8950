import { existsSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { loadLab } from '../lab/load-lab.js';
import { labFileOption } from './lab-file-option.js';
import type { Lab } from '../lab/lab-model.js';
import { UsageError } from '../util/usage-error.js';

export interface LabTargetOptions {
  file: string;
  name?: string;
}

/** -f <file> and --name <lab>: which lab a command is about. */
export function addLabTarget(command: Command, { fileFlags = '-f, --file <file>' } = {}): Command {
  return command
    .addOption(labFileOption(fileFlags))
    .addOption(new Option('--name <lab>', 'the lab\'s name, when its file is gone or elsewhere'));
}

/** The lab's name: --name when given, else the name in the lab file. */
export async function labName(options: LabTargetOptions): Promise<string> {
  if (options.name) return checkedName(options.name);
  return (await loadLab(options.file)).name;
}

/** The lab file's lab when the file exists, for commands that can also work on every lab. */
export async function labIfPresent(options: LabTargetOptions): Promise<Lab | string | undefined> {
  if (options.name) return checkedName(options.name);
  return existsSync(options.file) ? loadLab(options.file) : undefined;
}

/** A lab file's `name:` rule: anything else names no lab, and would make no lock container's name. */
const LAB_NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

function checkedName(name: string): string {
  if (!LAB_NAME.test(name)) throw new UsageError(`--name ${JSON.stringify(name)} is not a lab's name: lowercase letters, digits and '-', starting with a letter`);
  return name;
}
