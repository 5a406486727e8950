import type { Command } from 'commander';
import type { HostCheck } from '../engine/host-checks.js';

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('check this host for what each path needs; each problem says what it blocks and how to fix it')
    .option('--json', 'print the checks as JSON')
    .action(async (options: { json?: boolean }) => {
      const { createDockerClient, probeEngine } = await import('../engine/docker-client.js');
      const { hugepageCheck, memlockCheck, pathHostChecks } = await import('../engine/host-checks.js');
      const { engineIsLocal } = await import('../engine/preflight.js');
      const engine = await probeEngine(await createDockerClient());
      const checks: HostCheck[] = [
        engine.ok
          ? { name: 'Docker engine', level: 'ok', detail: `${engine.version} (API ${engine.apiVersion}, ${engine.os})`, blocks: [] }
          : { name: 'Docker engine', level: 'fail', detail: engine.reason, blocks: ['every path'], fix: 'start a Docker engine, or point DOCKER_HOST at one' },
      ];
      if (engineIsLocal()) checks.push(...pathHostChecks().map(({ need: _need, ...check }) => check), hugepageCheck(), memlockCheck());
      else checks.push({ name: 'host', level: 'warn', detail: `the engine is remote (${process.env.DOCKER_HOST}); its host's devices were not checked`, blocks: [] });

      if (options.json) process.stdout.write(`${JSON.stringify(checks, null, 2)}\n`);
      else {
        for (const check of checks) {
          const mark = check.level === 'ok' ? 'ok  ' : check.level === 'warn' ? 'warn' : 'FAIL';
          const blocks = check.blocks.length ? ` (blocks ${check.blocks.join(', ')})` : '';
          process.stdout.write(`${mark} ${check.name}: ${check.detail}${blocks}\n`);
          if (check.fix && check.level !== 'ok') process.stdout.write(`     fix: ${check.fix}\n`);
        }
      }
      if (checks.some((check) => check.level === 'fail')) process.exitCode = 1;
    });
}
