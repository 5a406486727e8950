import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/run-bin.js';

// The published package, as a user gets it: packed, installed into an empty directory from the
// registry-resolved dependencies, and run through the bins npm links. The global setup built dist/;
// --ignore-scripts keeps prepack from rebuilding it under the CLI tests running beside this one.
describe('npm pack', () => {
  let work: string;
  let files: string[];
  let installDir: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'vppkit-pack-'));
    const packed = JSON.parse(
      execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }),
    ) as { filename: string; files: { path: string }[] }[];
    files = packed[0]!.files.map((file) => file.path);
    installDir = join(work, 'consumer');
    execFileSync('mkdir', ['-p', installDir]);
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', join(work, packed[0]!.filename)], {
      cwd: installDir,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  }, 300_000);

  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('ships the bins, images and templates, and no sources or tests', () => {
    expect(files).toContain('dist/vppkit.js');
    expect(files).toContain('dist/create-vpp-app.js');
    expect(files).toContain('images/vpp-prefix/Dockerfile');
    expect(files).toContain('dist/vppkit.schema.json');
    expect(files.filter((file) => /^(src|test|node_modules|scripts|\.ci)\//.test(file))).toEqual([]);
  });

  it.each(['vppkit', 'create-vpp-app'])('installs a working %s bin into an empty directory', async (bin) => {
    const { version } = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    const run = (args: string[]) =>
      spawnSync(join(installDir, 'node_modules', '.bin', bin), args, { cwd: installDir, encoding: 'utf8' });
    const versionRun = run(['--version']);
    expect(versionRun.stderr).toBe('');
    expect(versionRun.status).toBe(0);
    expect(versionRun.stdout.trim()).toBe(version);
    const helpRun = run(['--help']);
    expect(helpRun.status).toBe(0);
    expect(helpRun.stdout).toContain(`Usage: ${bin}`);
  });
});
