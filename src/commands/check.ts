import type { Command } from 'commander';
import { loadLab } from '../lab/load-lab.js';
import { buildPlan } from '../plan/build-plan.js';
import { labFileOption } from './lab-file-option.js';

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('run each app\'s smoke check against the running lab; exit 1 when any fails')
    .addOption(labFileOption())
    .option('--json', 'print the results as JSON')
    .action(async (options: { file: string; json?: boolean }) => {
      const plan = buildPlan(await loadLab(options.file));
      const { createDockerClient } = await import('../engine/docker-client.js');
      const { labContainers } = await import('../engine/lab-state.js');
      const { runCheck } = await import('../engine/run-check.js');
      const { defectsOf, describeDefect, versionCheckIndex } = await import('../engine/vpp-defects.js');
      const docker = await createDockerClient();
      const containers = await labContainers(docker, plan.lab);
      if (!containers.length) throw new Error(`lab "${plan.lab}" is not up: run vppkit up`);
      const ids = new Map(containers.filter((c) => c.running).map((c) => [c.node, c.id]));
      const results = [];
      for (const check of plan.smoke) {
        const result = ids.has(check.node) ? await runCheck(docker, check, ids) : { ok: false, output: `${check.node} is not running` };
        results.push({ app: check.about, description: check.description, ...result });
      }
      if (options.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
      else {
        for (const result of results) {
          process.stdout.write(`${result.ok ? 'ok  ' : 'FAIL'} ${result.description}\n`);
          if (!result.ok) process.stdout.write(result.output.trimEnd().replace(/^/gm, '     ') + '\n');
          for (const hint of result.hints ?? []) process.stdout.write(`     ${hint}\n`);
        }
      }
      if (!results.some((result) => !result.ok)) return;
      process.exitCode = 1;
      // A failure may be VPP's own doing: name the known defects of the VPP that runs.
      const versionCheck = plan.vppReady[versionCheckIndex(plan)];
      if (!options.json && plan.vppDefects.length && versionCheck && ids.has(versionCheck.node)) {
        const found = defectsOf(plan, (await runCheck(docker, versionCheck, ids)).output);
        for (const defect of found) process.stdout.write(`warning: ${describeDefect(defect)}\n`);
      }
    });
}
