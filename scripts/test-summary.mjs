// Prints what CI reads from vitest's JSON report: the counts per tier on one line, then the closing
// line `N passed, N failed, N skipped`. Fails when a test failed, or when a tier CI requires
// (VPPKIT_REQUIRE_ENGINE / VPPKIT_REQUIRE_VPP) passed no test at all: a tier that skipped whole
// proves nothing.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

const file = process.argv[2] ?? 'test-results/vitest.json';
let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch (error) {
  console.log(`test summary: no readable report at ${file} (${error.message}); the test run did not finish`);
  process.exit(1);
}

const TIERS = ['unit', 'engine', 'vpp'];
const tiers = Object.fromEntries(TIERS.map((tier) => [tier, { passed: 0, failed: 0, skipped: 0 }]));
const brokenFiles = [];
for (const suite of report.testResults ?? []) {
  // A file that failed with no test result did not load or its hooks failed: count it as a failure.
  if (suite.status === 'failed' && !(suite.assertionResults ?? []).some((test) => test.status === 'failed')) {
    brokenFiles.push(`${relative(process.cwd(), suite.name)}: ${(suite.message ?? '').split('\n')[0]}`);
  }
  // test/<tier>/... is the layout vitest.config.ts gives each project.
  const tier = /[\\/]test[\\/](unit|engine|vpp)[\\/]/.exec(suite.name)?.[1] ?? 'other';
  const counts = tiers[tier] ?? (tiers[tier] = { passed: 0, failed: 0, skipped: 0 });
  for (const test of suite.assertionResults ?? []) {
    if (test.status === 'passed') counts.passed++;
    else if (test.status === 'failed') counts.failed++;
    else counts.skipped++;
  }
}

const problems = [];
const required = { engine: process.env.VPPKIT_REQUIRE_ENGINE === '1', vpp: process.env.VPPKIT_REQUIRE_VPP === '1' };
for (const [tier, isRequired] of Object.entries(required)) {
  if (isRequired && tiers[tier].passed === 0) problems.push(`the ${tier} tier is required here but passed no test`);
}
for (const broken of brokenFiles) problems.push(`failed outside its tests: ${broken}`);
for (const problem of problems) console.log(`test summary: ${problem}`);

console.log(
  Object.entries(tiers)
    .map(([tier, c]) => `${tier}: ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`)
    .join('; '),
);
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
console.log(`${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`);
process.exit(report.numFailedTests > 0 || problems.length > 0 ? 1 : 0);
