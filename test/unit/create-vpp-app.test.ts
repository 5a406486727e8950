import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerignoreFilter } from '../../src/images/dockerignore.js';
import { parseLab } from '../../src/lab/load-lab.js';
import { filesUnder } from '../support/files.js';
import { readFileSync } from 'node:fs';
import { repoRoot, runBin } from '../support/run-bin.js';

/** The version the build bakes into the bins. */
const VERSION = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'vppkit-create-'));
});
afterAll(() => rm(work, { recursive: true, force: true }));

const create = (args: string[]) => runBin('create-vpp-app', args, { cwd: work });
const COMMON = [
  '.devcontainer/compose.yaml',
  '.devcontainer/devcontainer.json',
  '.dockerignore',
  '.gitignore',
  '.vppkit/files/vpp/etc/vpp/setup.cli',
  '.vppkit/files/vpp/etc/vpp/startup.conf',
  '.vppkit/files/vpp/etc/vpp/vppkit-entry.sh',
  '.vppkit/generated.json',
  'CMakeLists.txt',
  'Dockerfile',
  'README.md',
  'compose.yaml',
  'package.json',
  'vppkit.yaml',
];
/** The container files the exports mount, beyond VPP's startup.conf and setup.cli. */
const PATH_FILES: Record<string, string[]> = {
  vcl: ['.vppkit/files/app/etc/vpp/vcl.conf'],
  'vcl-ldpreload': ['.vppkit/files/app/etc/vpp/vcl.conf'],
  // The peer, on VPP's session layer.
  tap: ['.vppkit/files/peer/etc/vpp/vcl.conf'],
  af_xdp: ['.vppkit/files/peer/etc/vpp/vcl.conf'],
  af_packet: ['.vppkit/files/peer/etc/vpp/vcl.conf'],
};
const SOURCES: Record<string, string[]> = {
  memif: ['src/main.c', 'src/packet.c', 'src/packet.h'],
  'sockets-echo': ['src/echo-client.c', 'src/echo-server.c', 'src/endpoint.h'],
  vcl: ['src/vcl-echo-client.c', 'src/vcl-echo-server.c', 'src/vcl-endpoint.h'],
};

/** Paths whose app is a kernel interface's: their lab has a peer on VPP's session layer, for traffic that crosses VPP. */
const PEERED = ['tap', 'af_xdp', 'af_packet'];

describe.each([
  ['--memif', 'memif', 'memif'],
  ['--tap', 'tap', 'sockets-echo'],
  ['--af-xdp', 'af_xdp', 'sockets-echo'],
  ['--af-packet', 'af_packet', 'sockets-echo'],
  ['--vcl', 'vcl', 'vcl'],
  ['--vcl-ldpreload', 'vcl-ldpreload', 'sockets-echo'],
])('create-vpp-app <dir> %s', (flag, path, template) => {
  it.each([
    [[], { kind: 'release', release: '26.06' }],
    [['--vpp-release', '25.10'], { kind: 'release', release: '25.10' }],
    [['--vpp-image', 'registry.example/vpp:26.06'], { kind: 'image', image: 'registry.example/vpp:26.06' }],
  ] as const)('with %j generates the project and a lab file that validates', async (vppFlags, source) => {
    const name = `${path.replace('_', '-')}-${vppFlags.length ? vppFlags[0]!.slice(6) : 'default'}`;
    const result = create([name, flag, ...vppFlags]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`Created ${name}: a ${path} app for VPP`);
    // In order, and the kit that runs is the project's own: installed first, pinned to this version.
    expect(result.stdout).toMatch(new RegExp(`  cd ${name}\\n  npm install +# vppkit ${VERSION}, pinned in package.json\\n  npx vppkit up +#`));
    expect(filesUnder(join(work, name))).toEqual([...COMMON, ...(PATH_FILES[path] ?? []), ...SOURCES[template]!].sort());

    const labFile = await readFile(join(work, name, 'vppkit.yaml'), 'utf8');
    expect(labFile.split('\n')[0]).toBe('# yaml-language-server: $schema=./node_modules/vppkit/dist/vppkit.schema.json');
    const lab = parseLab(labFile, join(work, name, 'vppkit.yaml'));
    expect(lab.name).toBe(name);
    expect(lab.vpp.source).toEqual(source);
    const peer = PEERED.includes(path) ? [{ name: 'peer', path: 'vcl-ldpreload', source: { kind: 'build', context: join(work, name) } }] : [];
    expect(lab.apps).toMatchObject([{ name: 'app', path, source: { kind: 'build', context: join(work, name) } }, ...peer]);
    const readme = await readFile(join(work, name, 'README.md'), 'utf8');
    expect(readme).toContain(`over **${path}**`);
    expect(readme).toMatch(/`npx vppkit check` prints `ok {3}.+`/);
    expect(readme).toContain(lab.apps[0]!.link.app.ip);
  });
});

describe('create-vpp-app', () => {
  it.each(['--memif', '--af-xdp', '--vcl-ldpreload'])('%s: its compose and dev container files are what vppkit export makes of its lab', (flag) => {
    const name = `exported-${flag.slice(2)}`;
    expect(create([name, flag]).status).toBe(0);
    for (const what of ['compose', 'devcontainer']) {
      // As the README says: a project with a peer has two apps built from source.
      const exported = runBin('vppkit', ['export', what, ...(what === 'devcontainer' ? ['--app', 'app'] : [])], { cwd: join(work, name) });
      expect(exported.status, exported.stderr).toBe(0);
      expect(exported.stdout).not.toMatch(/^wrote/m);
      expect(exported.stdout).toMatch(/^unchanged /m);
    }
  });

  it.each(['--memif', '--vcl', '--tap'])('%s: the app\'s build context leaves out npm packages and the files vppkit generates', (flag) => {
    const name = `context-${flag.slice(2)}`;
    expect(create([name, flag]).status).toBe(0);
    const ignored = dockerignoreFilter(join(work, name));
    for (const path of ['node_modules/vppkit/package.json', 'compose.yaml', '.vppkit/generated.json', '.devcontainer/devcontainer.json', 'build/app']) {
      expect(ignored(join(work, name, path)), path).toBe(true);
    }
    for (const path of ['Dockerfile', 'CMakeLists.txt', 'src/main.c']) expect(ignored(join(work, name, path)), path).toBe(false);
  });

  it('after a lab change, one export says the other is out of date until it is run too', async () => {
    expect(create(['stale-other', '--memif']).status).toBe(0);
    const cwd = join(work, 'stale-other');
    const labFile = await readFile(join(cwd, 'vppkit.yaml'), 'utf8');
    await writeFile(join(cwd, 'vppkit.yaml'), labFile.replace('    build: .\n', '    build: .\n    env: { GREETING: hello }\n'));
    const compose = runBin('vppkit', ['export', 'compose'], { cwd });
    expect(compose.stdout).toMatch(/^wrote {5}compose\.yaml$/m);
    expect(compose.stdout).toMatch(/npx vppkit export devcontainer +# \.devcontainer\/compose\.yaml is out of date with the lab$/m);
    const devcontainer = runBin('vppkit', ['export', 'devcontainer'], { cwd });
    expect(devcontainer.stdout).toMatch(/^wrote {5}\.devcontainer\/compose\.yaml$/m);
    expect(devcontainer.stdout).not.toContain('out of date');
  });

  it('says in the project README how to use the dev container and docker-compose', async () => {
    expect(create(['readme-dev', '--vcl-ldpreload']).status).toBe(0);
    const readme = await readFile(join(work, 'readme-dev/README.md'), 'utf8');
    expect(readme).toContain('## In a dev container (VS Code)');
    expect(readme).toContain('LD_PRELOAD=$VPPKIT_LD_PRELOAD echo-server');
    expect(readme).toContain('docker-compose up -d --build');
  });

  it('gives VCL apps a check that does a real echo round trip through VPP', async () => {
    expect(create(['checks-vcl', '--vcl']).status).toBe(0);
    expect(create(['checks-ldp', '--vcl-ldpreload']).status).toBe(0);
    expect(await readFile(join(work, 'checks-vcl/vppkit.yaml'), 'utf8')).toMatch(/^ {4}check: vcl-echo-client /m);
    expect(await readFile(join(work, 'checks-ldp/vppkit.yaml'), 'utf8')).toMatch(/^ {4}check: LD_PRELOAD=libvcl_ldpreload\.so echo-client -n 5 /m);
    expect(await readFile(join(work, 'checks-ldp/README.md'), 'utf8')).toContain('LD_PRELOAD=libvcl_ldpreload.so <program>');
  });

  it('takes a VPP install prefix, checked and made absolute', async () => {
    const prefix = join(work, 'fake-prefix');
    await mkdir(join(prefix, 'bin'), { recursive: true });
    await writeFile(join(prefix, 'bin/vpp'), '');
    expect(create(['with-prefix', '--memif', '--vpp-prefix', 'fake-prefix']).status).toBe(0);
    expect(await readFile(join(work, 'with-prefix/vppkit.yaml'), 'utf8')).toContain(`  prefix: ${prefix}    #`);
    const missing = create(['bad-prefix', '--memif', '--vpp-prefix', 'nowhere']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/nowhere is not a VPP install prefix: it has no bin\/vpp/);
  });

  it('without a terminal never prompts: a missing path is an error that shows the flags', () => {
    const result = create(['no-path']);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('create-vpp-app: choose how the app talks to VPP: --memif | --tap | --af-xdp | --af-packet | --vcl | --vcl-ldpreload\n');
  });

  it('without a terminal needs a directory, unless --yes takes the default one', async () => {
    expect(create(['--memif']).stderr).toMatch(/give a directory, e\.g\. create-vpp-app my-app --memif/);
  });

  it.each([
    ['My_App', /the project's name "My_App" is not a DNS label: .* e\.g\. "my-app"/],
    ['9lives', /"9lives" is not a DNS label/],
    ['a'.repeat(41), /is not a DNS label/],
  ])('refuses the name %s', (name, message) => {
    const result = create([name, '--memif']);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(message);
  });

  it('refuses two paths at once, and two VPP sources', () => {
    expect(create(['two', '--memif', '--vcl']).stderr).toMatch(/choose one path, not memif and vcl/);
    expect(create(['two', '--memif', '--vpp-image', 'x', '--vpp-release', '26.06']).stderr).toMatch(/give one of --vpp-release, --vpp-image and --vpp-prefix/);
    expect(create(['two', '--memif', '--vpp-release', 'latest']).stderr).toMatch(/--vpp-release takes a release like 26\.06, not latest/);
  });

  it('refuses a directory that is not empty, and with --force keeps every file of the user\'s', async () => {
    const dir = join(work, 'busy');
    await mkdir(dir);
    await writeFile(join(dir, 'notes.txt'), 'mine');
    await writeFile(join(dir, 'Dockerfile'), 'FROM my-own\n');
    const refused = create(['busy', '--memif']);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/busy is not empty: choose a new directory, or add --force/);
    expect(filesUnder(dir)).toEqual(['Dockerfile', 'notes.txt']);

    const forced = create(['busy', '--memif', '--force']);
    expect(forced.status).toBe(0);
    expect(forced.stdout).toContain('Kept your Dockerfile; the template\'s versions are beside them as <name>.vppkit-new.');
    expect(await readFile(join(dir, 'Dockerfile'), 'utf8')).toBe('FROM my-own\n');
    expect(await readFile(join(dir, 'notes.txt'), 'utf8')).toBe('mine');
    expect(await readFile(join(dir, 'Dockerfile.vppkit-new'), 'utf8')).toMatch(/FROM \$\{VPPKIT_APP_DEV_IMAGE\}/);
    expect(filesUnder(dir)).toContain('vppkit.yaml');
  });
});

describe('create-vpp-app, run by another package manager', () => {
  it.each([
    ['pnpm/9.12.0 npm/? node/v20.19.0 linux x64', 'pnpm install', 'pnpm exec vppkit'],
    ['yarn/1.22.22 npm/? node/v20.19.0 linux x64', 'yarn', 'yarn vppkit'],
    ['bun/1.1.30 npm/? node/v20.19.0 linux x64', 'bun install', 'bunx vppkit'],
    ['npm/10.8.2 node/v20.19.0 linux x64 workspaces/false', 'npm install', 'npx vppkit'],
  ])('%s: next steps and README use its commands', async (userAgent, install, kit) => {
    const name = `pm-${install.split(' ')[0]}`;
    const result = runBin('create-vpp-app', [name, '--memif'], { cwd: work, env: { npm_config_user_agent: userAgent } });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`  ${install} `);
    expect(result.stdout).toContain(`  ${kit} up `);
    const readme = await readFile(join(work, name, 'README.md'), 'utf8');
    expect(readme).toContain(`\n${install} `);
    expect(readme).toContain(`\n${kit} check `);
    expect(readme).toContain(`\`${kit} vppctl show memif\``);
    if (kit !== 'npx vppkit') expect(readme).not.toContain('npx vppkit');
  });

  it('pins the kit that made the project, exactly', async () => {
    const manifest = JSON.parse(await readFile(join(work, 'pm-npm', 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    expect(manifest.devDependencies).toEqual({ vppkit: VERSION });
  });
});

describe('create-vpp-app with a mirror of FD.io', () => {
  it('writes the mirror into the lab, which loads with it', async () => {
    const args = ['mirrored', '--memif', '--vpp-apt-repository', 'https://mirror.example.com/fdio/2606', '--vpp-apt-key', 'https://mirror.example.com/k.asc', '--vpp-source-tarball', 'https://mirror.example.com/vpp/{ref}.tar.gz'];
    expect(create(args).status).toBe(0);
    const lab = parseLab(await readFile(join(work, 'mirrored/vppkit.yaml'), 'utf8'), join(work, 'mirrored/vppkit.yaml'));
    expect(lab.vpp.source).toEqual({
      kind: 'release',
      release: '26.06',
      aptRepository: 'https://mirror.example.com/fdio/2606',
      aptKey: 'https://mirror.example.com/k.asc',
      sourceTarball: 'https://mirror.example.com/vpp/{ref}.tar.gz',
    });
  });

  it('refuses mirror flags with an image or a prefix', () => {
    const result = create(['mirror-image', '--memif', '--vpp-image', 'example/vpp', '--vpp-apt-repository', 'https://mirror.example.com/fdio/2606']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('go with FD.io\'s packages (a release), not with --vpp-image or --vpp-prefix');
  });
});
