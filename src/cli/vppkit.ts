import { registerBuild } from '../commands/build.js';
import { registerCheck } from '../commands/check.js';
import { registerDoctor } from '../commands/doctor.js';
import { registerDown } from '../commands/down.js';
import { registerExport } from '../commands/export.js';
import { registerNodeCommands } from '../commands/node-commands.js';
import { registerPlan } from '../commands/plan.js';
import { registerRestart } from '../commands/restart.js';
import { registerStatus } from '../commands/status.js';
import { registerUp } from '../commands/up.js';
import { registerValidate } from '../commands/validate.js';
import { createProgram, runProgram } from './program.js';

const program = createProgram(
  'vppkit',
  'Bring up, inspect and tear down local labs of FD.io VPP and the apps that talk to it.',
).enablePositionalOptions();
registerValidate(program);
registerPlan(program);
registerUp(program);
registerDown(program);
registerStatus(program);
registerRestart(program);
registerNodeCommands(program);
registerCheck(program);
registerBuild(program);
registerExport(program);
registerDoctor(program);

await runProgram(program);
