import { basename, relative, resolve } from 'node:path';
import { DEFAULT_VPP_RELEASE } from '../config/defaults.js';
import { nameProblem } from '../lab/load-lab.js';
import type { VppSource } from '../lab/lab-model.js';
import { PATH_NAMES, pathModule } from '../paths/registry.js';
import { packageManagerFrom } from '../scaffold/package-manager.js';
import { renderProject } from '../scaffold/project-files.js';
import { writeProject } from '../scaffold/write-project.js';
import { VERSION } from '../version.js';
import { createProgram, runProgram } from './program.js';

/** Each path's flag as commander names its option (--af-xdp is afXdp). */
const optionName = (flag: string): string => flag.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
const PATH_FLAGS = new Map(PATH_NAMES.map((path) => [optionName(pathModule(path).flag), path]));
const FLAGS_HELP = PATH_NAMES.map((path) => `--${pathModule(path).flag}`).join(' | ');

interface Options {
  [pathFlag: string]: boolean | string | undefined;
  yes?: boolean;
  vppRelease?: string;
  vppImage?: string;
  vppPrefix?: string;
  vppAptRepository?: string;
  vppAptKey?: string;
  vppSourceTarball?: string;
  force?: boolean;
}

const titles = PATH_NAMES.map((path) => pathModule(path).prose.title.replace(/, .*/, ''));
const program = createProgram('create-vpp-app', `Scaffold an app project that talks to FD.io VPP over ${[...new Set(titles)].join(', ').replace(/, ([^,]*)$/, ' or $1')}.`)
  .argument('[directory]', 'where to create the project; its name is the lab\'s name');
for (const path of PATH_NAMES) program.option(`--${pathModule(path).flag}`, pathModule(path).summary);
program
  .option('-y, --yes', 'ask nothing: take the defaults (the path must still be given)')
  .option('--vpp-release <version>', `VPP from FD.io's packages (default ${DEFAULT_VPP_RELEASE})`)
  .option('--vpp-image <ref>', 'VPP from a ready image')
  .option('--vpp-prefix <path>', 'VPP from your own build\'s install prefix')
  .option('--vpp-apt-repository <url>', 'with a release: your mirror of FD.io\'s package repository for it')
  .option('--vpp-apt-key <url>', 'with a release: the mirror\'s signing key (default <repository>/gpgkey)')
  .option('--vpp-source-tarball <url>', 'with a release: VPP\'s source for libmemif, {ref} standing for the version\'s tag or commit')
  .option('--force', 'write into a directory that is not empty (your files are never overwritten)')
  .action(async (directory: string | undefined, options: Options) => {
    const interactive = !options.yes && Boolean(process.stdin.isTTY && process.stdout.isTTY);
    const chosen = [...PATH_FLAGS].filter(([option]) => options[option]).map(([, path]) => path);
    if (chosen.length > 1) throw new Error(`choose one path, not ${chosen.join(' and ')}`);
    const sources = [options.vppRelease && 'release', options.vppImage && 'image', options.vppPrefix && 'prefix'].filter(Boolean);
    if (sources.length > 1) throw new Error('give one of --vpp-release, --vpp-image and --vpp-prefix');
    if (!interactive && !directory && !options.yes) throw new Error(`give a directory, e.g. create-vpp-app my-app --${pathModule(chosen[0] ?? PATH_NAMES[0]!).flag}`);
    if (!interactive && !chosen[0]) throw new Error(`choose how the app talks to VPP: ${FLAGS_HELP}`);
    if (options.vppRelease && !/^\d{2}\.\d{2}$/.test(options.vppRelease)) throw new Error(`--vpp-release takes a release like ${DEFAULT_VPP_RELEASE}, not ${options.vppRelease}`);
    const mirror = {
      ...(options.vppAptRepository && { aptRepository: options.vppAptRepository }),
      ...(options.vppAptKey && { aptKey: options.vppAptKey }),
      ...(options.vppSourceTarball && { sourceTarball: options.vppSourceTarball }),
    };
    if (Object.keys(mirror).length && (options.vppImage || options.vppPrefix)) {
      throw new Error('--vpp-apt-repository, --vpp-apt-key and --vpp-source-tarball go with FD.io\'s packages (a release), not with --vpp-image or --vpp-prefix');
    }

    // The prompts load only for a person at a terminal: `--yes` and scripts start without them.
    const prompts = interactive ? await import('./create-prompts.js') : undefined;
    try {
      prompts?.intro();
      const target = resolve(directory ?? (prompts ? await prompts.askName('vpp-app') : 'vpp-app'));
      const name = basename(target);
      const problem = nameProblem(name);
      if (problem) throw new Error(`the project's name ${problem.message}: ${problem.fix}`);
      const path = chosen[0] ?? (await prompts!.askPath());
      const vpp: VppSource = options.vppImage
        ? { kind: 'image', image: options.vppImage }
        : options.vppPrefix
          ? { kind: 'prefix', prefix: (await import('../images/vpp-prefix-image.js')).assertVppPrefix(options.vppPrefix) }
          : { kind: 'release', release: options.vppRelease ?? DEFAULT_VPP_RELEASE, ...mirror };

      const packageManager = packageManagerFrom(process.env.npm_config_user_agent);
      const result = await writeProject(target, renderProject({ name, path, vpp, dir: target, packageManager }), { force: Boolean(options.force) });
      const where = relative(process.cwd(), target) || '.';
      const kit = `${packageManager.exec} vppkit`;
      const steps: [string, string][] = [
        ...(where === '.' ? [] : [[`cd ${where}`, ''] as [string, string]]),
        [packageManager.install, `vppkit ${VERSION}, pinned in package.json`],
        [`${kit} up`, 'builds VPP and the app, starts them, waits until they are wired'],
        [`${kit} check`, 'the smoke check'],
      ];
      const width = Math.max(...steps.map(([command]) => command.length)) + 3;
      const lines = [
        `Created ${where}: a ${path} app for VPP (${pathModule(path).summary}).`,
        ...(result.kept.length ? [`Kept your ${result.kept.join(', ')}; the template's versions are beside them as <name>.vppkit-new.`] : []),
        '',
        'Next:',
        ...steps.map(([command, why]) => (why ? `  ${command.padEnd(width)}# ${why}` : `  ${command}`)),
        '',
        'README.md says what to try next: the dev container (.devcontainer/, needs Node on this host to run vppkit build first) and compose.yaml.',
      ];
      if (prompts) prompts.outro(lines.join('\n'));
      else process.stdout.write(`${lines.join('\n')}\n`);
    } catch (error) {
      if (prompts?.cancelled(error)) {
        process.exitCode = 1;
        return;
      }
      throw error;
    }
  });

await runProgram(program);
