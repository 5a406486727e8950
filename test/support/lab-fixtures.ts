import { LabFileError, type LabIssue } from '../../src/lab/lab-error.js';
import { parseLab } from '../../src/lab/load-lab.js';
import type { Lab } from '../../src/lab/lab-model.js';

/** Lab files in tests live at a fixed path, so goldens do not depend on the machine. */
export const LAB_FILE = '/labs/demo/vppkit.yaml';

export function lab(source: string): Lab {
  return parseLab(source, LAB_FILE);
}

/** The issues a lab file produces (fails the test when it is valid). */
export function issuesOf(source: string): LabIssue[] {
  try {
    parseLab(source, LAB_FILE);
  } catch (error) {
    if (error instanceof LabFileError) return [...error.issues];
    throw error;
  }
  throw new Error('expected the lab file to be rejected, but it is valid');
}

/** Lines joined with \n, so YAML in tests keeps its indentation visible. */
export const yaml = (...lines: string[]): string => `${lines.join('\n')}\n`;
