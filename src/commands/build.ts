import type { Command } from 'commander';
import { loadLab } from '../lab/load-lab.js';
import { buildPlan } from '../plan/build-plan.js';
import { labFileOption } from './lab-file-option.js';

export function registerBuild(program: Command): void {
  program
    .command('build')
    .description('make the images compose.yaml and the dev container start from (VPP, and app-dev: VPP plus the toolchain), tagged with the names those files use')
    .addOption(labFileOption())
    .action(async (options: { file: string }) => {
      const plan = buildPlan(await loadLab(options.file));
      const { createDockerClient } = await import('../engine/docker-client.js');
      const { resolveLabImages } = await import('../engine/lab-images.js');
      const { createReporter } = await import('./progress.js');
      const reporter = createReporter({ json: false, tty: Boolean(process.stderr.isTTY) });
      const step = 'images';
      reporter.start(step);
      try {
        await resolveLabImages(await createDockerClient(), plan, {
          withAppDev: true,
          withApps: false,
          progress: { phase: (title) => reporter.detail(title), line: (text) => reporter.detail(text) },
        });
      } catch (error) {
        reporter.fail(step);
        throw error;
      }
      reporter.succeed(step);
      const refs = plan.images.filter((image) => image.source.kind === 'vpp' || image.source.kind === 'app-dev');
      process.stdout.write(`${refs.map((image) => `${image.key.padEnd(8)} ${image.ref}`).join('\n')}\n`);
    });
}
