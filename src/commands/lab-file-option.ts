import { Option } from 'commander';
import { DEFAULT_LAB_FILE } from '../lab/load-lab.js';

/** Every command that reads a lab takes -f <file> (logs only --file: there -f is follow). */
export const labFileOption = (flags = '-f, --file <file>'): Option => new Option(flags, 'the lab file').default(DEFAULT_LAB_FILE);
