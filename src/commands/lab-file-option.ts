import { Option } from 'commander';
import { DEFAULT_LAB_FILE } from '../lab/load-lab.js';

/** Every command that reads a lab takes -f <file>. */
export const labFileOption = (): Option => new Option('-f, --file <file>', 'the lab file').default(DEFAULT_LAB_FILE);
