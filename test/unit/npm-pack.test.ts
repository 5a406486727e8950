import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/run-bin.js';

interface Packed {
  name: string;
  filename: string;
  files: { path: string }[];
}

// The two published packages, as a user gets them: packed, installed into an empty directory, and
// run through the bins npm links. The global setup built both; --ignore-scripts keeps prepack from
// rebuilding them under the CLI tests running beside this one.
describe('npm pack of the two packages', () => {
  let work: string;
  const packed = new Map<string, Packed>();

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'vppkit-pack-'));
    const output = execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--workspaces', '--include-workspace-root', '--pack-destination', work], {
      cwd: repoRoot,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    for (const entry of JSON.parse(output) as Packed[]) packed.set(entry.name, entry);
  }, 120_000);

  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  const files = (name: string): string[] => packed.get(name)!.files.map((file) => file.path);
  const install = (name: string, dir: string): string => {
    mkdirSync(join(work, dir), { recursive: true });
    return execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--foreground-scripts', join(work, packed.get(name)!.filename)], {
      cwd: join(work, dir),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  };
  const run = (dir: string, bin: string, args: string[]) => spawnSync(join(work, dir, 'node_modules', '.bin', bin), args, { cwd: join(work, dir), encoding: 'utf8' });

  it('vppkit ships its bin, images and lab schema; create-vpp-app its bundle and templates; neither sources nor tests', () => {
    expect(files('vppkit')).toEqual(expect.arrayContaining(['dist/vppkit.js', 'images/vpp-prefix/Dockerfile', 'dist/vppkit.schema.json']));
    expect(files('vppkit').filter((file) => file.startsWith('templates/') || file.includes('create-vpp-app'))).toEqual([]);
    expect(files('create-vpp-app')).toEqual(expect.arrayContaining(['dist/index.js', 'templates/memif/template.json', 'templates/vcl/CMakeLists.txt', 'package.json', 'README.md']));
    for (const name of ['vppkit', 'create-vpp-app']) {
      expect(files(name).filter((file) => /^(src|test|node_modules|scripts|packages|\.ci)\//.test(file) || file.endsWith('build-meta.json'))).toEqual([]);
    }
  });

  it('create-vpp-app is one package with no dependencies and no install scripts, and its bin works', async () => {
    const manifest = JSON.parse(await readFile(join(repoRoot, 'packages/create-vpp-app/package.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest.dependencies ?? {}).toEqual({});
    install('create-vpp-app', 'scaffolder');
    const lock = JSON.parse(await readFile(join(work, 'scaffolder', 'package-lock.json'), 'utf8')) as { packages: Record<string, { hasInstallScript?: boolean }> };
    const installed = Object.keys(lock.packages).filter((path) => path.startsWith('node_modules/'));
    expect(installed).toEqual(['node_modules/create-vpp-app']);
    expect(Object.values(lock.packages).filter((entry) => entry.hasInstallScript)).toEqual([]);

    const { version } = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    const versionRun = run('scaffolder', 'create-vpp-app', ['--version']);
    expect(versionRun.stderr).toBe('');
    expect(versionRun.stdout.trim()).toBe(version);
    const created = run('scaffolder', 'create-vpp-app', ['made', '--vcl']);
    expect(created.stderr).toBe('');
    expect(created.status).toBe(0);
    const project = JSON.parse(await readFile(join(work, 'scaffolder', 'made', 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    expect(project.devDependencies).toEqual({ vppkit: version });
  }, 120_000);

  it('installs a working vppkit bin into an empty directory', async () => {
    install('vppkit', 'kit');
    const { version } = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    const versionRun = run('kit', 'vppkit', ['--version']);
    expect(versionRun.stderr).toBe('');
    expect(versionRun.stdout.trim()).toBe(version);
    const helpRun = run('kit', 'vppkit', ['--help']);
    expect(helpRun.status).toBe(0);
    expect(helpRun.stdout).toContain('Usage: vppkit');
  }, 300_000);
});
