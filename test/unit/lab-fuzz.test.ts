import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatIssue, LabFileError } from '../../src/lab/lab-error.js';
import type { Lab } from '../../src/lab/lab-model.js';
import { loadLab, parseLab } from '../../src/lab/load-lab.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import { anyText, labShaped, mutatedLab, validShapedLab, yamlishText } from '../support/lab-arbitraries.js';
import { LAB_FILE } from '../support/lab-fixtures.js';

// Property-based tests of the lab loader: whatever the text, the loader answers with a lab or with
// LabFileError, every problem at file:line:col, and quickly. A fixed seed and a bounded count keep
// the unit tier fast and repeatable; VPPKIT_FUZZ_RUNS=<n> (and VPPKIT_FUZZ_SEED=<n>) run more (README).

const RUNS = Number(process.env.VPPKIT_FUZZ_RUNS) || 0;
const SEED = Number(process.env.VPPKIT_FUZZ_SEED) || 1403;
const runs = (unitTier: number): fc.Parameters<unknown> => ({ seed: SEED, numRuns: RUNS || unitTier });

/** Longer than any lab may take to load: a case past it is a hang in the making. */
const PER_CASE_MS = 2_000;

type Outcome = { lab: Lab } | { error: LabFileError };

/** Loads text as parseLab does and checks what every answer must be, whatever the text. */
function expectAnswer(source: string, load: () => Lab = () => parseLab(source, LAB_FILE), file = LAB_FILE): Outcome {
  const started = performance.now();
  let outcome: Outcome;
  try {
    outcome = { lab: load() };
  } catch (error) {
    if (!(error instanceof LabFileError)) throw new Error(`not a LabFileError: ${error instanceof Error ? error.stack : String(error)}`);
    outcome = { error };
  }
  const elapsed = performance.now() - started;
  expect(elapsed, `took ${elapsed.toFixed(0)} ms`).toBeLessThan(PER_CASE_MS);
  if ('error' in outcome) expectLocated(outcome.error, source, file);
  return outcome;
}

/** Every problem at file:line:col inside the text, with a message of its own and no stack trace. */
function expectLocated(error: LabFileError, source: string, file: string): void {
  const lines = source.split(/\r\n|\r|\n/).length;
  const misplaced = error.issues.filter(
    (issue) =>
      issue.file !== file ||
      !Number.isInteger(issue.line) ||
      issue.line < 1 ||
      issue.line > lines ||
      !Number.isInteger(issue.column) ||
      issue.column < 1 ||
      !formatIssue(issue).startsWith(`${file}:${issue.line}:${issue.column}: `) ||
      issue.message === '' ||
      // Values are quoted in messages, never pasted whole: a huge scalar makes a short message.
      formatIssue(issue).length > 1_000,
  );
  expect(misplaced.map(formatIssue), `in a text of ${lines} lines`).toEqual([]);
  expect(error.issues.length).toBeGreaterThan(0);
  expect(error.message).not.toMatch(/\n\s+at /);
}

describe('the lab loader on hostile input', () => {
  it('answers any text with a lab or located problems', () => {
    fc.assert(fc.property(anyText, (text) => void expectAnswer(text)), runs(300));
  });

  it('answers YAML-like text (anchors, tags, directives, deep nesting, huge scalars) the same way', () => {
    fc.assert(fc.property(yamlishText, (text) => void expectAnswer(text)), runs(200));
  });

  it('answers valid labs with random edits the same way', () => {
    fc.assert(fc.property(mutatedLab, (text) => void expectAnswer(text)), runs(200));
  });

  it('answers labs of the right shape with wrong values (schema and semantic problems together) the same way', () => {
    fc.assert(fc.property(labShaped, (text) => void expectAnswer(text)), runs(100));
  });

  it('loads most valid-shaped labs, and plans each one it loads', () => {
    let loaded = 0;
    fc.assert(
      fc.property(validShapedLab, (text) => {
        const outcome = expectAnswer(text);
        if ('lab' in outcome) {
          loaded++;
          expect(buildPlan(outcome.lab).containers).toHaveLength(outcome.lab.apps.length + 1);
        }
      }),
      runs(100),
    );
    // A generator that made only invalid labs would never reach the plan.
    expect(loaded).toBeGreaterThan(0);
  });

  describe('from files', () => {
    let dir: string;
    beforeAll(async () => void (dir = await mkdtemp(join(tmpdir(), 'vppkit-fuzz-'))));
    afterAll(async () => rm(dir, { recursive: true, force: true }));

    it('loadLab answers the same way as parseLab, naming the file it read', async () => {
      let n = 0;
      await fc.assert(
        fc.asyncProperty(fc.oneof(yamlishText, mutatedLab), async (text) => {
          const file = join(dir, `lab-${n++}.yaml`);
          await writeFile(file, text);
          const started = performance.now();
          const result = await loadLab(file).then(
            (lab) => ({ lab }),
            (error: unknown) => ({ error }),
          );
          expect(performance.now() - started).toBeLessThan(PER_CASE_MS);
          if ('error' in result) {
            expect(result.error).toBeInstanceOf(LabFileError);
            expectLocated(result.error as LabFileError, text, file);
          }
        }),
        runs(20),
      );
    });
  });
});
