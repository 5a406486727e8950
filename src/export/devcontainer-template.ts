import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { DEFAULT_BASE_IMAGE, DEFAULT_VPP_RELEASE } from '../config/defaults.js';
import { kitImageDir } from '../images/kit-images.js';
import { parseLab } from '../lab/load-lab.js';
import { PATH_NAMES, pathModule } from '../paths/registry.js';
import { APP_DEV_IMAGE_KEY, buildPlan, VPP_NODE } from '../plan/build-plan.js';
import type { GeneratedFile } from './generated-files.js';
import { DEV_EXTENSIONS, DEV_USER_SETTINGS } from './project-exports.js';
import { renderCompose } from './render-compose.js';

/**
 * The kit's Dev Container Template (devcontainer/src/vpp-app), rendered from the same plans and the
 * same Dockerfiles as everything else: a unit test keeps the checked-in copy equal to this.
 */
export const TEMPLATE_ID = 'vpp-app';

/** Placeholders the template's user fills in; written as ${templateOption:<name>} once rendered. */
const option = (name: keyof typeof OPTIONS): string => `@@templateOption:${name}@@`;

const OPTIONS = {
  path: {
    type: 'string',
    description: `How the app talks to VPP: ${PATH_NAMES.map((path) => `${path} (${pathModule(path).summary})`).join('; ')}`,
    enum: [...PATH_NAMES],
    default: 'memif',
  },
  vppRelease: {
    type: 'string',
    description: 'The FD.io VPP release installed from FD.io\'s packages when the base image has no VPP (a base image\'s own VPP is kept, with the headers of its own version)',
    proposals: [DEFAULT_VPP_RELEASE, '26.02', '25.10'],
    default: DEFAULT_VPP_RELEASE,
  },
  vppAptRepository: {
    type: 'string',
    description: 'The apt repository FD.io\'s packages are installed from, laid out as FD.io\'s on packagecloud.io (a company\'s mirror of it); empty: FD.io\'s own for the release',
    default: '',
  },
  vppAptKey: {
    type: 'string',
    description: 'The URL of the key that repository is signed with; empty: <repository>/gpgkey, as packagecloud.io serves it',
    default: '',
  },
  vppSourceTarball: {
    type: 'string',
    description: 'The URL of VPP\'s source tarball libmemif is built from, {ref} standing for the tag or commit of the installed version; empty: FD.io\'s on GitHub',
    default: '',
  },
  baseImage: {
    type: 'string',
    description: 'The image VPP is installed on (Debian bookworm, Ubuntu 22.04 or 24.04); one that already has VPP, such as your own build packed by `vppkit build`, is used as is',
    proposals: [DEFAULT_BASE_IMAGE, 'ubuntu:22.04', 'debian:bookworm'],
    default: DEFAULT_BASE_IMAGE,
  },
} as const;

const ROOT = '/workspace-root/project';
/** images/app-dev's scripts, which its stage runs: where VPP's source is, and how libmemif is built from it. */
const APP_DEV_SCRIPTS = ['vpp-source-url.sh', 'build-libmemif.sh'];
export const TEMPLATE_POOL = '10.98.0.0/16';
const IMAGE_DIR = '.devcontainer/image';

export function renderDevcontainerTemplate(): GeneratedFile[] {
  const files: GeneratedFile[] = [
    { path: 'devcontainer-template.json', content: json(templateManifest()), mode: 0o644 },
    { path: '.devcontainer/devcontainer.json', content: fill(json(devcontainerConfig())), mode: 0o644 },
    { path: posix.join(IMAGE_DIR, 'Dockerfile'), content: imageDockerfile(), mode: 0o644 },
    ...APP_DEV_SCRIPTS.map((script) => ({ path: posix.join(IMAGE_DIR, script), content: readFileSync(posix.join(kitImageDir('app-dev'), script), 'utf8'), mode: 0o755 })),
    { path: 'NOTES.md', content: notes(), mode: 0o644 },
  ];
  const args = {
    BASE_IMAGE: option('baseImage'),
    VPP_RELEASE: option('vppRelease'),
    VPP_APT_REPOSITORY: option('vppAptRepository'),
    VPP_APT_KEY: option('vppAptKey'),
    VPP_SOURCE_TARBALL: option('vppSourceTarball'),
  };
  const build = (target: string) => ({ context: posix.join(ROOT, IMAGE_DIR), target, args });
  for (const path of PATH_NAMES) {
    // A pool outside the 10.100-10.199 that vppkit's labs take theirs from by default. The af_xdp
    // link's subnet is fixed, so one af_xdp copy of the template runs at a time.
    const lab = `name: ${TEMPLATE_ID}\npool: ${TEMPLATE_POOL}\nvpp: { image: vpp }\napps: [{ name: app, path: ${path}, build: . }]\n`;
    const plan = buildPlan(parseLab(lab, posix.join(ROOT, 'vppkit.yaml')));
    const { text, files: containerFiles } = renderCompose(plan, {
      projectDir: ROOT,
      // In .devcontainer itself: the devcontainer CLI names the compose project <workspace>_devcontainer
      // only then (from a subfolder it would be the subfolder's name, shared by every such workspace).
      composeDir: posix.join(ROOT, '.devcontainer'),
      filesDir: `.devcontainer/files/${path}`,
      projectScoped: true,
      images: new Map([
        [VPP_NODE, build('vpp')],
        [APP_DEV_IMAGE_KEY, build('app-dev')],
      ]),
      // As in the devcontainers/templates compose templates: the workspace's parent, so the
      // workspace is /workspaces/<its folder name>.
      dev: { app: 'app', workspaceSource: posix.dirname(ROOT), workspaceTarget: '/workspaces' },
    });
    const header = `# VPP and the dev container, wired for ${path} as \`vppkit up\` wires a ${path} app. Rendered by vppkit.\n`;
    files.push({ path: `.devcontainer/compose.${path}.yaml`, content: fill(`${header}${text}`), mode: 0o644 }, ...containerFiles);
  }
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

function templateManifest(): unknown {
  return {
    id: TEMPLATE_ID,
    version: '0.1.0',
    name: 'FD.io VPP app',
    description: 'A C dev container wired to a VPP beside it over memif, TAP v2, AF_XDP or VCL, as vppkit wires its labs',
    publisher: 'vppkit',
    options: OPTIONS,
    platforms: ['C', 'C++'],
  };
}

function devcontainerConfig(): unknown {
  return {
    name: `VPP app over ${option('path')}`,
    dockerComposeFile: [`compose.${option('path')}.yaml`],
    service: 'app',
    // No runServices: all of the path's compose file, af_xdp's one-shot checksum service among them.
    workspaceFolder: '/workspaces/${localWorkspaceFolderBasename}',
    shutdownAction: 'stopCompose',
    ...DEV_USER_SETTINGS,
    postCreateCommand: 'if [ -f CMakeLists.txt ]; then cmake -S . -B build && cmake --build build && cmake --install build; fi',
    customizations: { vscode: { extensions: DEV_EXTENSIONS } },
  };
}

/** The kit's VPP release image and app-dev image as two stages of one Dockerfile, so compose builds each on its own. */
function imageDockerfile(): string {
  const release = readFileSync(posix.join(kitImageDir('vpp-release'), 'Dockerfile'), 'utf8');
  const appDev = readFileSync(posix.join(kitImageDir('app-dev'), 'Dockerfile'), 'utf8');
  const vppStage = replaceOnce(release, /^FROM \$\{BASE_IMAGE\}$/m, 'FROM ${BASE_IMAGE} AS vpp');
  const devStage = replaceOnce(appDev, /^ARG BASE_IMAGE\nFROM \$\{BASE_IMAGE\}$/m, 'FROM vpp AS app-dev');
  return [
    '# Rendered by vppkit from its images/vpp-release and images/app-dev Dockerfiles: stage vpp is VPP,',
    '# stage app-dev is what the dev container runs (VPP plus the toolchain, VPP\'s headers and libmemif).',
    '',
    vppStage.trimEnd(),
    '',
    devStage.trimEnd(),
    '',
  ].join('\n');
}

function notes(): string {
  return [
    '## What it sets up',
    '',
    'Two containers: VPP, and the dev container you work in, wired to each other the way `vppkit up`',
    'wires a lab for the chosen path (the same volumes, capabilities, devices and network), with a',
    'health check that starts the dev container once VPP answers and is configured.',
    '',
    '| path | the dev container gets |',
    '|---|---|',
    ...PATH_NAMES.map((path) => `| ${path} | ${pathModule(path).prose.devContainerGets} |`),
    '',
    'The addresses are in the environment: `VPPKIT_APP_ADDRESS`, `VPPKIT_VPP_ADDRESS`, `VPPKIT_APP_PORT`.',
    'You work as `dev`, not root: on Linux it gets your uid and gid (`updateRemoteUserUID`), so what you',
    'make in the workspace is yours. It is in VPP\'s group (`vpp`, gid 4242), which VPP\'s sockets belong to,',
    'and in `staff`, which owns `/usr/local`, so installing what you build needs no root.',
    '`vppctl -s /run/vpp/cli.sock` is VPP\'s CLI where /run/vpp is shared. A CMake project in the',
    'workspace is built and installed when the container is created.',
    '',
    '`create-vpp-app` makes a whole project (app sources, lab file, compose file and this dev container);',
    'this template adds the dev container to a folder you already have.',
    '',
  ].join('\n');
}

function replaceOnce(text: string, pattern: RegExp, replacement: string): string {
  if (!pattern.test(text)) throw new Error(`the kit's Dockerfile has no ${pattern}: the template renderer needs updating`);
  return text.replace(pattern, replacement);
}

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
const fill = (text: string): string => text.replace(/@@templateOption:(\w+)@@/g, '${templateOption:$1}');
