import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** The last Verdaccio whose engines allow Node 20: 6.9 and later want Node 22 (`npm view verdaccio@6 engines`). */
export const VERDACCIO_VERSION = '6.8.0';

export interface CommandResult {
  command: string;
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion; never throws, so callers can put its output in their failure message. */
export function run(command: string, args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): CommandResult {
  const result = spawnSync(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: options.timeoutMs ?? 120_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  const stderr = `${result.stderr ?? ''}${result.error ? `\n(${result.error.message})` : ''}`;
  return { command: `${command} ${args.join(' ')} (in ${options.cwd})`, status: result.status, stdout: result.stdout ?? '', stderr };
}

/** What went wrong, in the command's own words: for failure messages. */
export function describeFailure(result: CommandResult, lines = 40): string {
  const tail = (text: string): string => text.trimEnd().split('\n').slice(-lines).join('\n');
  return `${result.command} exited ${result.status}\n--- stderr ---\n${tail(result.stderr)}\n--- stdout ---\n${tail(result.stdout)}`;
}

function runOk(command: string, args: readonly string[], options: Parameters<typeof run>[2]): CommandResult {
  const result = run(command, args, options);
  if (result.status !== 0) throw new Error(describeFailure(result));
  return result;
}

/**
 * This environment without what an enclosing `npm test` exported (npm_config_*, npm_package_*...),
 * plus `extra`: npm then reads only the config a user's shell would give it.
 */
export function cleanNpmEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const inherited = Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key) && key !== 'INIT_CWD');
  return { ...Object.fromEntries(inherited), ...extra };
}

/** npm as a new user meets it: this registry, an empty cache and no npmrc of the machine's user. */
export function newUserNpmEnv(registryUrl: string, dir: string): NodeJS.ProcessEnv {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'npmrc'), '');
  return cleanNpmEnv({
    npm_config_registry: registryUrl,
    npm_config_cache: join(dir, 'cache'),
    npm_config_userconfig: join(dir, 'npmrc'),
    npm_config_update_notifier: 'false',
  });
}

interface MachineNpm {
  registry: string;
  cafile: string | undefined;
  httpsProxy: string | undefined;
  proxy: string | undefined;
}

/** The registry this machine's npm uses and how it reaches it: the local registry's uplink goes the same way. */
function machineNpm(): MachineNpm {
  const config = JSON.parse(runOk('npm', ['config', 'list', '--json'], { cwd: tmpdir() }).stdout) as Record<string, unknown>;
  const text = (key: string): string | undefined => (typeof config[key] === 'string' && config[key] ? (config[key] as string) : undefined);
  return { registry: text('registry') ?? 'https://registry.npmjs.org/', cafile: text('cafile'), httpsProxy: text('https-proxy'), proxy: text('proxy') };
}

/** Why Verdaccio and vppkit's dependencies cannot come from this machine's npm registry, when they cannot. */
export function npmRegistryProblem(): string | undefined {
  const result = run('npm', ['view', `verdaccio@${VERDACCIO_VERSION}`, 'version'], { cwd: tmpdir(), timeoutMs: 60_000 });
  if (result.status === 0 && result.stdout.trim() === VERDACCIO_VERSION) return undefined;
  const error = result.stderr.split('\n').find((line) => /\berr(or|!)\b/i.test(line)) ?? result.stderr.trim().split('\n')[0] ?? '';
  return `npm cannot fetch verdaccio@${VERDACCIO_VERSION} from its registry (${error.trim() || `exit ${result.status}`})`;
}

const installedVersion = (packageDir: string): string | undefined =>
  existsSync(join(packageDir, 'package.json')) ? (JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string }).version : undefined;

/**
 * Verdaccio, installed once per machine into a cache outside the repository (it is ~330 packages:
 * no dependency of the repo). Installed beside its place and renamed in, so a run that dies half-way
 * or one running alongside never leaves or sees a partial copy. Returns the package's folder.
 */
export function installVerdaccio(env: NodeJS.ProcessEnv = process.env): string {
  const dir = join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'vppkit-test', `verdaccio-${VERDACCIO_VERSION}`);
  const entry = join(dir, 'node_modules/verdaccio');
  if (installedVersion(entry) === VERDACCIO_VERSION) return entry;
  mkdirSync(dirname(dir), { recursive: true });
  const staging = mkdtempSync(`${dir}.staging-`);
  try {
    const manifest = {
      private: true,
      dependencies: { verdaccio: VERDACCIO_VERSION },
      // verdaccio-audit 13.0.3 asks for node-fetch@"cjs", a dist-tag the registry does not serve
      // (npm: ETARGET No matching version found for node-fetch@cjs); 2.7.0 is the last CommonJS
      // node-fetch, which is what the tag named.
      overrides: { 'verdaccio-audit': { 'node-fetch': '2.7.0' } },
    };
    writeFileSync(join(staging, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    runOk('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: staging, timeoutMs: 600_000 });
    if (existsSync(dir) && installedVersion(entry) !== VERDACCIO_VERSION) rmSync(dir, { recursive: true, force: true });
    try {
      renameSync(staging, dir);
    } catch (error) {
      // Another run finished first: its copy is as good as ours.
      if (installedVersion(entry) !== VERDACCIO_VERSION) throw error;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return entry;
}

export interface LocalRegistry {
  /** With the trailing slash npm writes in tarball URLs and lockfiles. */
  url: string;
  logFile: string;
  logTail: (lines?: number) => string;
  stop: () => Promise<void>;
}

// Verdaccio's own CLI takes a fixed port; its API listens where we say, so the kernel picks a free one.
// It says the port on fd 3 (all else goes to the log), and exits when the test's worker goes away
// (its stdin closes) even if afterAll never ran.
const LAUNCHER = `
const { writeSync } = require('node:fs');
const { runServer } = require(process.argv[2]);
process.stdin.on('end', () => process.exit(0)).resume();
runServer(process.argv[3]).then((server) => {
  server.listen(0, '127.0.0.1', () => writeSync(3, JSON.stringify({ port: server.address().port }) + '\\n'));
}, (error) => { console.error(error); process.exit(1); });
`;

/**
 * Starts Verdaccio on 127.0.0.1 with its storage, config and log in `dir`. The `localOnly` packages
 * are served from what is published to it and never looked up upstream, so a public package of the
 * same name cannot stand in for ours; everything else comes from this machine's npm registry.
 */
export async function startLocalRegistry(options: { verdaccio: string; dir: string; localOnly: readonly string[] }): Promise<LocalRegistry> {
  const { dir } = options;
  mkdirSync(dir, { recursive: true });
  const upstream = machineNpm();
  const logFile = join(dir, 'verdaccio.log');
  const config = {
    storage: join(dir, 'storage'),
    auth: { htpasswd: { file: join(dir, 'htpasswd'), max_users: 10 } },
    uplinks: {
      upstream: {
        url: upstream.registry,
        timeout: '120s',
        // By default two failures mark the uplink offline for 5 minutes: one slow fetch would fail the rest of the run.
        max_fails: 1000,
        ...(upstream.httpsProxy && { https_proxy: upstream.httpsProxy }),
        ...(upstream.proxy && { http_proxy: upstream.proxy }),
      },
    },
    packages: {
      ...Object.fromEntries(options.localOnly.map((name) => [name, { access: '$all', publish: '$authenticated' }])),
      '**': { access: '$all', proxy: 'upstream' },
    },
    web: { enable: false },
    log: { type: 'file', path: logFile, level: 'http' },
  };
  // JSON is YAML, and Verdaccio deprecates JavaScript (and JSON) config files.
  writeFileSync(join(dir, 'config.yaml'), `${JSON.stringify(config, null, 2)}\n`);
  writeFileSync(join(dir, 'launch.cjs'), LAUNCHER);

  const log = openSync(logFile, 'a');
  const child = spawn(process.execPath, [join(dir, 'launch.cjs'), options.verdaccio, join(dir, 'config.yaml')], {
    cwd: dir,
    // Its own process group, so stop() ends it and anything it started.
    detached: true,
    stdio: ['pipe', log, log, 'pipe'],
    // npm trusts its cafile; Verdaccio's uplink must trust the same authorities.
    env: { ...process.env, ...(upstream.cafile && !process.env.NODE_EXTRA_CA_CERTS && { NODE_EXTRA_CA_CERTS: upstream.cafile }) },
  });
  closeSync(log);
  const logTail = (lines = 30): string => (existsSync(logFile) ? readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n') : '');

  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      const signal = (name: NodeJS.Signals): void => {
        try {
          process.kill(-child.pid!, name);
        } catch {
          // Already gone.
        }
      };
      signal('SIGTERM');
      const force = setTimeout(() => signal('SIGKILL'), 5_000);
      await exited;
      clearTimeout(force);
    }
    child.stdin?.destroy();
  };

  try {
    const port = await new Promise<number>((resolve, reject) => {
      let said = '';
      const timer = setTimeout(() => reject(new Error('Verdaccio did not start listening within 60 s')), 60_000);
      child.stdio[3]!.on('data', (chunk: Buffer) => {
        said += chunk.toString();
        if (said.includes('\n')) {
          clearTimeout(timer);
          resolve((JSON.parse(said) as { port: number }).port);
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`Verdaccio exited (${signal ?? code}) before listening`));
      });
    });
    return { url: `http://127.0.0.1:${port}/`, logFile, logTail, stop };
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}; its log ends:\n${logTail()}`);
  }
}

export interface PublishedPackage {
  name: string;
  version: string;
  tarball: string;
}

/**
 * Packs each package folder as it stands (its dist/ built already: --ignore-scripts, so prepack does
 * not rebuild under tests running alongside) and publishes the tarballs, as a user the registry
 * creates for the purpose.
 */
export async function publishPackages(registry: LocalRegistry, packageDirs: readonly string[], dir: string): Promise<PublishedPackage[]> {
  mkdirSync(join(dir, 'packs'), { recursive: true });
  const user = `publisher-${randomBytes(3).toString('hex')}`;
  const response = await fetch(`${registry.url}-/user/org.couchdb.user:${user}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: user, password: randomBytes(12).toString('hex') }),
  });
  const answer = (await response.json()) as { token?: string; error?: string };
  if (!answer.token) throw new Error(`the local registry did not create a publisher (${response.status}: ${answer.error ?? 'no token'})`);
  writeFileSync(join(dir, 'npmrc'), `${registry.url.replace(/^https?:/, '')}:_authToken=${answer.token}\n`);
  const env = cleanNpmEnv({ npm_config_userconfig: join(dir, 'npmrc'), npm_config_cache: join(dir, 'cache'), npm_config_update_notifier: 'false' });

  const published: PublishedPackage[] = [];
  for (const packageDir of packageDirs) {
    const packed = await packChecked(packageDir, join(dir, 'packs'), env);
    runOk('npm', ['publish', packed.tarball, '--registry', registry.url, '--ignore-scripts'], { cwd: dir, env, timeoutMs: 120_000 });
    published.push(packed);
  }
  return published;
}

/**
 * `npm pack`, checked for the package's bins: another test run's build empties dist/ for a moment,
 * and a tarball packed then would be missing them (one retry, then the failure says so).
 */
async function packChecked(packageDir: string, into: string, env: NodeJS.ProcessEnv): Promise<PublishedPackage> {
  const bins = Object.values((JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { bin?: Record<string, string> }).bin ?? {});
  for (let attempt = 1; ; attempt++) {
    const result = runOk('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', into], { cwd: packageDir, env });
    const [info] = JSON.parse(result.stdout) as { name: string; version: string; filename: string; files: { path: string }[] }[];
    const missing = bins.map((bin) => bin.replace(/^\.\//, '')).filter((bin) => !info!.files.some((file) => file.path === bin));
    if (!missing.length) return { name: info!.name, version: info!.version, tarball: join(into, info!.filename) };
    if (attempt === 2) throw new Error(`${info!.name}'s tarball lacks ${missing.join(', ')}: is dist/ built (node scripts/build.mjs), or was it being rebuilt?`);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
}
