import type { Command } from 'commander';
import { loadLab } from '../lab/load-lab.js';
import { buildPlan } from '../plan/build-plan.js';
import { labFileOption } from './lab-file-option.js';

export function registerUp(program: Command): void {
  program
    .command('up')
    .description('bring the lab up: build images, create volumes, networks and containers, wait until VPP and every app are ready')
    .addOption(labFileOption())
    .option('--keep-on-failure', 'leave what a failed up created, to look inside')
    .option('--json', 'print the result as JSON (no progress)')
    .action(async (options: { file: string; keepOnFailure?: boolean; json?: boolean }) => {
      const plan = buildPlan(await loadLab(options.file));
      const { createDockerClient } = await import('../engine/docker-client.js');
      const { up, UpError } = await import('../engine/up.js');
      const { describeDefect } = await import('../engine/vpp-defects.js');
      const { createReporter } = await import('./progress.js');
      const docker = await createDockerClient();
      const controller = new AbortController();
      const interrupt = (): void => {
        if (controller.signal.aborted) process.exit(130); // a second Ctrl-C: stop now
        process.stderr.write('\nvppkit: interrupted; removing what this up created (Ctrl-C again to stop at once)\n');
        controller.abort();
      };
      process.on('SIGINT', interrupt);
      try {
        const result = await up(docker, plan, {
          reporter: createReporter({ json: Boolean(options.json), tty: Boolean(process.stderr.isTTY) }),
          keepOnFailure: Boolean(options.keepOnFailure),
          signal: controller.signal,
        });
        if (options.json) {
          process.stdout.write(`${JSON.stringify({ ok: true, ...result }, null, 2)}\n`);
          return;
        }
        // --file, not -f: for logs, -f is follow.
        const file = options.file === 'vppkit.yaml' ? '' : ` --file ${JSON.stringify(options.file)}`;
        const apps = plan.containers.filter((container) => container.role === 'app');
        const hints: [string, string][] = [
          [`vppkit vppctl${file} show interface`, 'VPP\'s CLI'],
          ...apps.map((app): [string, string] => [`vppkit shell${file} ${app.node}`, `a shell in ${app.node}`]),
          [`vppkit logs${file} <node>`, 'a node\'s output'],
          [`vppkit check${file}`, 'the smoke checks'],
          [`vppkit down${file}`, 'remove the lab'],
        ];
        const width = Math.max(...hints.map(([command]) => command.length)) + 3;
        const lines = [
          `Lab ${plan.lab} is up: ${result.containers.map((c) => `${c.node} (${c.action})`).join(', ')}.`,
          ...hints.map(([command, what]) => `  ${command.padEnd(width)}${what}`),
          ...result.vppDefects.map((found) => `warning: ${describeDefect(found)}`),
        ];
        process.stdout.write(`${lines.join('\n')}\n`);
      } catch (error) {
        if (options.json && error instanceof UpError) {
          process.stdout.write(`${JSON.stringify({ ok: false, step: error.step, reason: error.reason, details: error.details }, null, 2)}\n`);
          process.exitCode = controller.signal.aborted ? 130 : 1;
          return;
        }
        if (controller.signal.aborted) process.exitCode = 130;
        throw error;
      } finally {
        process.off('SIGINT', interrupt);
      }
    });
}
