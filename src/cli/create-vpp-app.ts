import { createProgram, runProgram } from './program.js';

const program = createProgram(
  'create-vpp-app',
  'Scaffold an app project that talks to FD.io VPP over memif, TAP v2, AF_XDP or VCL.',
);

program.action(() => program.help());

await runProgram(program);
