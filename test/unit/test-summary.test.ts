import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/run-bin.js';

type Status = 'passed' | 'failed' | 'skipped' | 'pending';
const suite = (file: string, ...statuses: Status[]) => ({
  name: join(repoRoot, file),
  status: statuses.includes('failed') ? 'failed' : 'passed',
  message: '',
  assertionResults: statuses.map((status) => ({ status })),
});
const report = (...suites: ReturnType<typeof suite>[]) => {
  const all = suites.flatMap((s) => s.assertionResults);
  return {
    numPassedTests: all.filter((t) => t.status === 'passed').length,
    numFailedTests: all.filter((t) => t.status === 'failed').length,
    numPendingTests: all.filter((t) => t.status !== 'passed' && t.status !== 'failed').length,
    numTodoTests: 0,
    testResults: suites,
  };
};

// scripts/test-summary.mjs: the lines .ci/run ends with, and when a required tier makes it fail.
describe('the CI summary', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vppkit-summary-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  async function summarize(json: unknown, env: Record<string, string> = {}) {
    const file = join(dir, `${Math.random().toString(16).slice(2)}.json`);
    await writeFile(file, JSON.stringify(json));
    const { VPPKIT_REQUIRE_ENGINE: _e, VPPKIT_REQUIRE_VPP: _v, ...rest } = process.env;
    const result = spawnSync(process.execPath, [join(repoRoot, 'scripts/test-summary.mjs'), file], { cwd: repoRoot, env: { ...rest, ...env }, encoding: 'utf8' });
    return { status: result.status, lines: result.stdout.trimEnd().split('\n') };
  }

  it('prints the counts per tier, then the closing line', async () => {
    const result = await summarize(report(suite('test/unit/a.test.ts', 'passed', 'passed'), suite('test/engine/b.test.ts', 'passed'), suite('test/vpp/c.test.ts', 'passed', 'skipped')));
    expect(result).toEqual({
      status: 0,
      lines: ['unit: 2 passed, 0 failed, 0 skipped; engine: 1 passed, 0 failed, 0 skipped; vpp: 1 passed, 0 failed, 1 skipped', '4 passed, 0 failed, 1 skipped'],
    });
  });

  it('fails when a required tier passed no test, and says which', async () => {
    const skippedVpp = report(suite('test/unit/a.test.ts', 'passed'), suite('test/engine/b.test.ts', 'passed'), suite('test/vpp/c.test.ts', 'skipped', 'skipped'));
    expect((await summarize(skippedVpp)).status).toBe(0);
    const required = await summarize(skippedVpp, { VPPKIT_REQUIRE_VPP: '1', VPPKIT_REQUIRE_ENGINE: '1' });
    expect(required.status).toBe(1);
    expect(required.lines).toEqual([
      'test summary: the vpp tier is required here but passed no test',
      'unit: 1 passed, 0 failed, 0 skipped; engine: 1 passed, 0 failed, 0 skipped; vpp: 0 passed, 0 failed, 2 skipped',
      '2 passed, 0 failed, 2 skipped',
    ]);
  });

  it('fails on a failed test, and on a file that failed outside its tests', async () => {
    expect((await summarize(report(suite('test/unit/a.test.ts', 'passed', 'failed')))).status).toBe(1);
    const broken = { ...suite('test/engine/b.test.ts'), status: 'failed', message: 'Error: hook timed out\n  at x' };
    const result = await summarize(report(suite('test/unit/a.test.ts', 'passed'), broken));
    expect(result.status).toBe(1);
    expect(result.lines[0]).toBe('test summary: failed outside its tests: test/engine/b.test.ts: Error: hook timed out');
    expect(result.lines.at(-1)).toBe('1 passed, 0 failed, 0 skipped');
  });
});
