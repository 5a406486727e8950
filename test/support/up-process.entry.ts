// The body of an `up` in a process of its own, run by up-process.ts: a second vppkit at work on a
// lab, or one to kill -9, with the plans engine tests make (no VPP, no lab file, no images to build).
import { readFileSync } from 'node:fs';
import Docker from 'dockerode';
import { createReporter } from '../../src/commands/progress.js';
import { up } from '../../src/engine/up.js';
import type { Plan } from '../../src/plan/plan-types.js';

const [planFile, mode] = process.argv.slice(2);
const plan = JSON.parse(readFileSync(planFile!, 'utf8')) as Plan;
if (mode === '--on-go') {
  // Two of these start their up on the same line from the test: the same moment, give or take a read.
  process.stdout.write('waiting\n');
  await new Promise((resolve) => process.stdin.once('data', resolve));
  process.stdin.destroy();
}
try {
  const result = await up(new Docker(), plan, { reporter: createReporter({ json: false, tty: false }) });
  process.stdout.write(`${JSON.stringify(result)}\n`);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
