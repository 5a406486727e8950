import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseLab } from '../lab/load-lab.js';
import { pathModule } from '../paths/registry.js';
import type { PathName, VppSource } from '../lab/lab-model.js';
import { manifestFor } from '../export/generated-files.js';
import { cmakeBuildCommand, composeExport, devcontainerExport } from '../export/project-exports.js';
import { devEnvName } from '../export/render-compose.js';
import { buildPlan } from '../plan/build-plan.js';
import { VERSION } from '../version.js';
import type { Plan } from '../plan/plan-types.js';
import { MANIFEST, templateFor, type TemplateManifest } from './template-manifest.js';
import { seeItWork, vppInterfaceFor, type ProjectFacts } from './see-it-work.js';
import type { PackageManager } from './package-manager.js';

export interface ProjectOptions {
  name: string;
  path: PathName;
  vpp: VppSource;
  /** Where the project will live (the lab file's relative paths and the README's addresses depend on it). */
  dir: string;
  /** Whose commands the README gives (the one that ran create-vpp-app). */
  packageManager: PackageManager;
}

export interface ProjectFile {
  path: string;
  content: Buffer | string;
  mode: number;
}

export const APP_NAME = 'app';
/** The template's second app, where the README's traffic needs one to cross VPP (template.json: peer). */
const PEER_NAME = 'peer';

/**
 * Every file of a new project: the template's; the lab file, README, package.json and .gitignore made
 * for it; and compose.yaml and .devcontainer/ exported from the lab's plan, as `vppkit export` would.
 */
export function renderProject(options: ProjectOptions): ProjectFile[] {
  const { dir: templateDir, manifest } = templateFor(options.path);
  const files = templateFiles(templateDir);
  const { labFile, plan, facts } = projectLab(options, manifest);
  const app = plan.containers.find((container) => container.node === APP_NAME)!;
  files.push(
    { path: 'vppkit.yaml', content: labFile, mode: 0o644 },
    {
      path: 'README.md',
      content: renderReadme(options, manifest, {
        facts,
        nodes: plan.containers.map((container) => container.node),
        smoke: plan.smoke.map((check) => check.description),
        run: devRunCommand(templateDir, app.processOnlyEnv ?? []),
      }),
      mode: 0o644,
    },
    { path: 'package.json', content: renderPackageJson(options), mode: 0o644 },
    { path: '.gitignore', content: 'build/\nnode_modules/\n', mode: 0o644 },
  );
  // The app's sources are not on disk yet: the dev container's build is the template's CMake build.
  const exported = new Map(
    [...composeExport(plan, options.dir), ...devcontainerExport(plan, options.dir, { app: APP_NAME, postCreateCommand: cmakeBuildCommand('.') })].map((file) => [
      file.path,
      file,
    ]),
  );
  files.push(...exported.values(), manifestFor([...exported.values()]));
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

function projectLab(options: ProjectOptions, manifest: TemplateManifest): { labFile: string; plan: Plan; facts: ProjectFacts } {
  const labFile = renderLabFile(options, manifest);
  const lab = parseLab(labFile, join(options.dir, 'vppkit.yaml'));
  const plan = buildPlan(lab);
  const env = plan.containers.find((container) => container.node === APP_NAME)!.env;
  const linked = pathModule(options.path).addressing === 'link';
  const facts: ProjectFacts = {
    path: options.path,
    appIp: env.VPPKIT_APP_ADDRESS!.split('/')[0]!,
    port: env.VPPKIT_APP_PORT!,
    ...(linked && { vppIp: env.VPPKIT_VPP_ADDRESS!.split('/')[0]!, vppIf: vppInterfaceFor(lab, APP_NAME) }),
  };
  return { labFile, plan, facts };
}

/** How to start the app by hand in its dev container: its image's CMD, with the environment meant for the app's own process. */
function devRunCommand(templateDir: string, processOnlyEnv: readonly string[]): string {
  const cmd = /^CMD\s+(\[.*\])\s*$/m.exec(readFileSync(join(templateDir, 'Dockerfile'), 'utf8'));
  if (!cmd) throw new Error(`${templateDir}/Dockerfile has no CMD ["..."] line`);
  const command = (JSON.parse(cmd[1]!) as string[]).join(' ');
  return [...processOnlyEnv.map((key) => `${key}=$${devEnvName(key)}`), command].join(' ');
}

function templateFiles(templateDir: string): ProjectFile[] {
  return (readdirSync(templateDir, { recursive: true }) as string[])
    .map((name) => join(templateDir, name))
    .filter((file) => statSync(file).isFile() && relative(templateDir, file) !== MANIFEST)
    .map((file) => ({ path: relative(templateDir, file), content: readFileSync(file), mode: statSync(file).mode & 0o777 }));
}

function renderLabFile(options: ProjectOptions, manifest: TemplateManifest): string {
  const vpp =
    options.vpp.kind === 'release'
      ? [
          `  release: "${options.vpp.release}"    # FD.io's packages; or image: <a VPP image>, or prefix: <your VPP install prefix>`,
          // A company's mirror of FD.io, as given (JSON strings are YAML strings: URLs stay intact).
          ...(options.vpp.aptRepository ? [`  apt-repository: ${JSON.stringify(options.vpp.aptRepository)}`] : []),
          ...(options.vpp.aptKey ? [`  apt-key: ${JSON.stringify(options.vpp.aptKey)}`] : []),
          ...(options.vpp.sourceTarball ? [`  source-tarball: ${JSON.stringify(options.vpp.sourceTarball)}`] : []),
        ].join('\n')
      : options.vpp.kind === 'image'
        ? `  image: ${options.vpp.image}`
        : `  prefix: ${options.vpp.prefix}    # your own VPP build (its install prefix)`;
  const check = manifest.check?.[options.path];
  const peer = manifest.peer?.paths.includes(options.path) ? manifest.peer : undefined;
  return [
    '# yaml-language-server: $schema=./node_modules/vppkit/dist/vppkit.schema.json',
    `# The lab: VPP and this app, wired for ${options.path}. npx vppkit plan shows everything it implies.`,
    `name: ${options.name}`,
    'vpp:',
    vpp,
    'apps:',
    `  - name: ${APP_NAME}`,
    `    path: ${options.path}`,
    '    build: .',
    ...(check ? [`    check: ${check}    # what npx vppkit check runs in the app`] : []),
    ...(peer ? [...peer.comment.map((line) => `  # ${line.replaceAll('{path}', options.path)}`), `  - name: ${PEER_NAME}`, `    path: ${peer.path}`, '    build: .'] : []),
    '',
  ].join('\n');
}

interface ReadmeLab {
  facts: ProjectFacts;
  /** The lab's containers, VPP's first, as `up` lists them. */
  nodes: string[];
  /** What `check` prints after ok, one per check. */
  smoke: string[];
  /** The app's own command, for its dev container's terminal. */
  run: string;
}

function renderReadme(options: ProjectOptions, manifest: TemplateManifest, lab: ReadmeLab): string {
  const kit = `${options.packageManager.exec} vppkit`;
  const note = manifest.notes?.[options.path];
  const see = seeItWork(manifest, lab.facts, kit);
  const checkPrints = lab.smoke.map((description) => `\`ok   ${description}\``).join(' and ');
  const severalApps = lab.nodes.length > 2;
  return [
    `# ${options.name}`,
    '',
    `An app that talks to FD.io VPP over **${options.path}**, made with create-vpp-app.`,
    '',
    pathModule(options.path).prose.howItWorks,
    '',
    `What is here: ${manifest.description} (${manifest.sources.map((source) => `\`${source}\``).join(', ')}), built with CMake by the \`Dockerfile\` on vppkit's app-dev image; \`vppkit.yaml\` describes the lab.`,
    '',
    '## Run it',
    '',
    '```sh',
    `${options.packageManager.install.padEnd(kit.length + 10)}# vppkit ${VERSION}, pinned in package.json: every command below runs it`,
    severalApps
      ? `${kit} up       # builds VPP and the apps, starts them, waits until they are wired`
      : `${kit} up       # builds VPP and the app, starts both, waits until they are wired`,
    `${kit} check    # the smoke check${lab.smoke.length > 1 ? 's' : ''}`,
    `${kit} down     # removes the lab (images stay, so the next up is quick)`,
    '```',
    '',
    `\`${kit} up\` ends with \`Lab ${options.name} is up: ${lab.nodes.map((node) => `${node} (created)`).join(', ')}.\` and the commands to reach it;`,
    `\`${kit} check\` prints ${checkPrints}.`,
    '',
    '## See it work',
    '',
    see.crosses,
    '',
    'Run these in order:',
    '',
    '| run | you see |',
    '|---|---|',
    ...see.steps.map((step) => `| \`${step.run}\` | ${step.shows} |`),
    '',
    ...(note ? [note, ''] : []),
    '## Change it',
    '',
    severalApps
      ? `Edit the sources and run \`${kit} up\` again: it rebuilds app and ${PEER_NAME} (the same sources) and recreates only their containers.`
      : `Edit the sources and run \`${kit} up\` again: it rebuilds the app and recreates only its container.`,
    `\`${kit} shell app\` opens a shell beside it; \`${kit} vppctl\` is VPP's CLI.`,
    '',
    '## In a dev container (VS Code)',
    '',
    'Open the folder in VS Code and choose **Reopen in Container**, or run `npx @devcontainers/cli up --workspace-folder .`.',
    'The app\'s container becomes your workspace: the toolchain, VPP\'s headers and libmemif, wired to VPP exactly as',
    '`vppkit up` wires the app, with VPP running beside it. The app is built when the container is created; in its terminal:',
    '',
    '```sh',
    'cmake --build build && cmake --install build    # after each change',
    `${lab.run}${' '.repeat(Math.max(1, 48 - lab.run.length))}# run it (its image's command)`,
    '```',
    '',
    `Then \`${kit} check\` on the host prints ${checkPrints}.`,
    '',
    '## With docker-compose',
    '',
    '```sh',
    `${kit} build                # the VPP and app-dev images compose.yaml names`,
    'docker-compose up -d --build    # or: docker compose up -d --build',
    `${kit} check                # vppkit finds a lab compose started, too`,
    'docker-compose down -v          # -v: also the volume of VPP\'s sockets',
    '```',
    '',
    '`compose.yaml`, `.devcontainer/` and `.vppkit/files/` (the VPP configuration they mount) are generated from',
    `\`vppkit.yaml\`: after changing the lab, run \`${kit} export compose\` and \`${kit} export devcontainer${severalApps ? ` --app ${APP_NAME}` : ''}\`.`,
    '',
  ].join('\n');
}

function renderPackageJson(options: ProjectOptions): string {
  const manifest = {
    name: options.name,
    private: true,
    description: `An app that talks to FD.io VPP over ${options.path}`,
    scripts: { up: 'vppkit up', check: 'vppkit check', down: 'vppkit down' },
    // The kit that made the project, exactly: its templates, exports and lab schema go together.
    devDependencies: { vppkit: VERSION },
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
