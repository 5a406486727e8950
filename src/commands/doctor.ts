import type { Command } from 'commander';
import type { HostCheck } from '../engine/host-checks.js';

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('check this host for what each path needs; each problem says what it blocks and how to fix it')
    .option('--json', 'print the checks as JSON')
    .action(async (options: { json?: boolean }) => {
      const { apiAtLeast, createDockerClient, probeEngine, TESTED_FROM_API } = await import('../engine/docker-client.js');
      const { EngineError } = await import('../engine/engine-errors.js');
      const { hugepageCheck, memlockCheck, pathHostChecks } = await import('../engine/host-checks.js');
      const { engineIsLocal } = await import('../engine/preflight.js');
      // The same words as every other command's engine errors: doctor and up agree on the fix.
      const engine = await createDockerClient().then(probeEngine, (error: unknown) => {
        if (error instanceof EngineError) return { ok: false as const, reason: error.problem.message, fix: error.problem.fix };
        throw error;
      });
      const checks: HostCheck[] = [
        engine.ok
          ? {
              name: 'Docker engine',
              level: apiAtLeast(engine.apiVersion, TESTED_FROM_API) ? 'ok' : 'warn',
              detail: `${engine.version} (API ${engine.apiVersion}, ${engine.os})${apiAtLeast(engine.apiVersion, TESTED_FROM_API) ? '' : `: older than vppkit is tested with (API ${TESTED_FROM_API}, Docker 20.10)`}`,
              blocks: [],
              fix: 'upgrade the Docker engine to 20.10 or newer',
            }
          : { name: 'Docker engine', level: 'fail', detail: engine.reason, blocks: ['every path'], fix: engine.fix },
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
