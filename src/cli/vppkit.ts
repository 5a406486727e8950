import { registerPlan } from '../commands/plan.js';
import { registerValidate } from '../commands/validate.js';
import { createProgram, runProgram } from './program.js';

const program = createProgram(
  'vppkit',
  'Bring up, inspect and tear down local labs of FD.io VPP and the apps that talk to it.',
);
registerValidate(program);
registerPlan(program);

await runProgram(program);
