import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { engineRequired } from '../support/engine-probe.js';
import {
  describeFailure,
  installVerdaccio,
  newUserNpmEnv,
  npmRegistryProblem,
  publishPackages,
  run,
  startLocalRegistry,
  type CommandResult,
  type LocalRegistry,
} from '../support/local-registry.js';
import { repoRoot } from '../support/run-bin.js';

const tier = inject('engineTier');
const registryProblem = tier.run ? npmRegistryProblem() : undefined;
if (registryProblem) {
  if (engineRequired()) throw new Error(`the npm registry test is required in CI: ${registryProblem}`);
  console.log(`[engine tier] npm registry test skipped: ${registryProblem}`);
}

interface Lockfile {
  packages: Record<string, { version?: string; resolved?: string; hasInstallScript?: boolean }>;
}

const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;
/** Each installed package of a lockfile as name@version, and those that run install scripts. */
function installed(lock: Lockfile): { packages: string[]; withScripts: string[] } {
  const entries = Object.entries(lock.packages).filter(([path]) => path !== '');
  const named = (path: string, version?: string): string => `${path.replace(/^.*node_modules\//, '')}@${version}`;
  return {
    packages: entries.map(([path, entry]) => named(path, entry.version)),
    withScripts: entries.filter(([, entry]) => entry.hasInstallScript).map(([path, entry]) => named(path, entry.version)),
  };
}

// Issue 12: both packages as npm serves them, met as a new user meets them. A local Verdaccio serves
// this checkout's vppkit and create-vpp-app (and only ours: those names are never looked up upstream);
// the rest of vppkit's dependencies come from the public registry through it.
describe.skipIf(!tier.run || registryProblem !== undefined)('create-vpp-app and vppkit from an npm registry', () => {
  let work: string;
  let registry: LocalRegistry | undefined;
  let version: string;
  let users: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'vppkit-registry-'));
    registry = await startLocalRegistry({ verdaccio: installVerdaccio(), dir: join(work, 'registry'), localOnly: ['vppkit', 'create-vpp-app'] });
    const published = await publishPackages(registry, [repoRoot, join(repoRoot, 'packages/create-vpp-app')], join(work, 'publish'));
    expect(published.map((pkg) => pkg.name)).toEqual(['vppkit', 'create-vpp-app']);
    expect(published[1]!.version, 'the two packages are released together').toBe(published[0]!.version);
    version = published[0]!.version;
    env = newUserNpmEnv(registry.url, join(work, 'npm'));
    users = join(work, 'projects');
    await mkdir(users);
  }, 900_000);

  afterAll(async () => {
    await registry?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  }, 60_000);

  /** Runs as the user, in their folder; a failure says what npm said and what the registry logged. */
  const asUser = (command: 'npm' | 'npx', args: string[], cwd = users, timeoutMs = 180_000): CommandResult => {
    const result = run(command, args, { cwd, env, timeoutMs });
    expect(result.status, `${describeFailure(result)}\n--- the local registry's log ends ---\n${registry!.logTail()}`).toBe(0);
    return result;
  };
  const fromLocalRegistry = (lock: Lockfile, name: string): boolean => Boolean(lock.packages[`node_modules/${name}`]?.resolved?.startsWith(registry!.url));
  const pinnedVersion = (project: string): string | undefined =>
    readJson<{ devDependencies?: Record<string, string> }>(join(users, project, 'package.json')).devDependencies?.vppkit;

  it('npx create-vpp-app scaffolds a project whose next steps start with cd and npm install', () => {
    const result = asUser('npx', ['--yes', 'create-vpp-app', 'my-app', '--memif']);
    expect(result.stdout).toContain('Created my-app: a memif app for VPP');
    const next = result.stdout.split('\n');
    const steps = next.slice(next.indexOf('Next:') + 1).map((line) => line.trim());
    expect(steps[0]).toBe('cd my-app');
    expect(steps[1]).toMatch(new RegExp(`^npm install +# vppkit ${version.replace(/\./g, '\\.')}, pinned in package\\.json$`));
    // The files from the templates folder prove the tarball carries it; the rest are rendered.
    for (const file of ['vppkit.yaml', 'compose.yaml', '.devcontainer/devcontainer.json', 'README.md', 'Dockerfile', 'CMakeLists.txt', 'src/main.c']) {
      expect(existsSync(join(users, 'my-app', file)), file).toBe(true);
    }
    expect(pinnedVersion('my-app')).toBe(version);
  });

  it('npm create vpp-app and npm init vpp-app run the same scaffolder (package create-vpp-app)', () => {
    expect(asUser('npm', ['create', 'vpp-app@latest', 'other', '--', '--vcl']).stdout).toContain('Created other: a vcl app for VPP');
    expect(asUser('npm', ['init', 'vpp-app', 'third', '--', '--memif', '--yes']).stdout).toContain('Created third: a memif app for VPP');
    for (const file of ['other/src/vcl-echo-server.c', 'other/.vppkit/files/app/etc/vpp/vcl.conf', 'third/src/main.c']) {
      expect(existsSync(join(users, file)), file).toBe(true);
    }
    expect([pinnedVersion('other'), pinnedVersion('third')]).toEqual([version, version]);
  }, 600_000);

  it('each npx run installed create-vpp-app alone: one package from the local registry, no install scripts', () => {
    const npxCache = join(env.npm_config_cache!, '_npx');
    const runs = readdirSync(npxCache).filter((entry) => existsSync(join(npxCache, entry, 'package-lock.json')));
    expect(runs.length, 'npx create-vpp-app, npm create and npm init each leave an npx install').toBeGreaterThan(0);
    for (const entry of runs) {
      const asked = readJson<{ _npx?: { packages?: string[] } }>(join(npxCache, entry, 'package.json'))._npx?.packages ?? [];
      const lock = readJson<Lockfile>(join(npxCache, entry, 'package-lock.json'));
      const { packages, withScripts } = installed(lock);
      console.log(`[npm registry] npx ${asked.join(' ')}: ${packages.length} package(s) installed (${packages.join(', ')}), ${withScripts.length} with install scripts`);
      expect(packages).toEqual([`create-vpp-app@${version}`]);
      expect(withScripts).toEqual([]);
      expect(fromLocalRegistry(lock, 'create-vpp-app')).toBe(true);
    }
  });

  it('npm install in the project gets the pinned vppkit, whose bin runs there and validates the lab', () => {
    const project = join(users, 'my-app');
    asUser('npm', ['install'], project, 600_000);
    expect(readJson<{ version: string }>(join(project, 'node_modules/vppkit/package.json')).version).toBe(version);
    const lock = readJson<Lockfile>(join(project, 'package-lock.json'));
    expect(fromLocalRegistry(lock, 'vppkit')).toBe(true);
    const { packages, withScripts } = installed(lock);
    console.log(`[npm registry] npm install in the project: ${packages.length} packages, ${withScripts.length} with install scripts (${withScripts.join(', ') || 'none'})`);

    // `--no --`: npx takes the word after a bare `--no` as its value, so `npx --no vppkit --version`
    // hands --version to npm itself (it prints npm's version). The -- ends npx's own options.
    expect(asUser('npx', ['--no', '--', 'vppkit', '--version'], project).stdout.trim()).toBe(version);
    expect(asUser('npx', ['--no', 'vppkit', 'validate'], project).stdout).toContain('vppkit.yaml: lab "my-app" is valid: 1 app: app (memif)');
  }, 900_000);
});
