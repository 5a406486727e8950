import { createProgram, runProgram } from './program.js';

const program = createProgram(
  'vppkit',
  'Bring up, inspect and tear down local labs of FD.io VPP and the apps that talk to it.',
);

program.action(() => program.help());

await runProgram(program);
