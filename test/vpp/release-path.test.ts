import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseDocument } from 'yaml';
import { engineClient, labLeftovers } from '../support/engine.js';
import { bridgeGateway, buildStandInRepository, STAND_IN_RELEASE, STAND_IN_VERSION } from '../support/fdio-stand-in.js';
import { serveFiles, type FileServer } from '../support/http-files.js';
import { BIN_PATHS, repoRoot, runBin, type BinResult } from '../support/run-bin.js';

const tier = inject('vppTier');

/** FD.io's release source tarball, stood in for by VPP's own extras/libmemif of the prefix's build (../shared/vpp). */
const SHARED = join(repoRoot, '..', 'shared', 'vpp');
const tarball = existsSync(SHARED) ? readdirSync(SHARED).find((name) => /^vpp-.*-libmemif-src\.tar\.gz$/.test(name)) : undefined;
if (tier.run && !tarball) console.log(`[vpp tier] release path SKIPPED: no vpp-<version>-libmemif-src.tar.gz in ${SHARED} (the stand-in for FD.io's source tarball)`);

// The default VPP source, `release:` (FD.io's packages, images/vpp-release and images/app-dev), run
// offline. FD.io's package server and GitHub are out of reach here, so both are stood in for: Debian
// packages named, versioned and laid out as FD.io's (vpp, vpp-plugin-core, vpp-crypto-engines,
// vpp-dev, libvppinfra, libvppinfra-dev), made from the prefix under test, which is a 26.10-rc0
// build labelled as a release (26.06-release), in a signed repository laid out as packagecloud's;
// and VPP's extras/libmemif as the release's source tarball. Both are served over HTTP from the
// engine's bridge gateway, the only address of this host image builds reach, and the lab names them
// with vpp.apt-repository, vpp.apt-key and vpp.source-tarball, as a company's mirror of FD.io would.
describe.skipIf(!tier.run || !tarball)(`the release path: the prefix under test (a 26.10-rc0 build here) labelled ${STAND_IN_VERSION}, from a local FD.io-shaped repository`, () => {
  const docker = engineClient();
  const id = Math.random().toString(16).slice(2, 6);
  const made: string[] = [];
  let work: string;
  let server: FileServer;
  let repository: string;
  let sourceTarball: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'vppkit-release-'));
    const started = Date.now();
    const built = await buildStandInRepository(docker, tier.prefix!, join(work, 'fdio'));
    console.log(`[release path] stand-in repository built in ${((Date.now() - started) / 1000).toFixed(1)}s\n${built.log.trim()}`);
    // As on packagecloud.io (fdio/2606) and GitHub (FDio/vpp/archive/<ref>.tar.gz).
    server = await serveFiles(await bridgeGateway(docker), {
      [`/fdio/${STAND_IN_RELEASE.replace('.', '')}/`]: built.dir,
      [`/FDio/vpp/archive/v${STAND_IN_RELEASE}.tar.gz`]: join(SHARED, tarball!),
    });
    repository = `${server.url}/fdio/${STAND_IN_RELEASE.replace('.', '')}`;
    sourceTarball = `${server.url}/FDio/vpp/archive/{ref}.tar.gz`;
  });

  afterAll(async () => {
    for (const name of made) runBin('vppkit', ['down'], { cwd: join(work, name) });
    await server?.close();
    await removeRunImages(docker, made);
    await rm(work, { recursive: true, force: true });
  });

  /** A project as create-vpp-app makes it for the release, then pointed at the mirror, as a company would. */
  async function scaffold(flag: string, mirror: Record<string, string>): Promise<string> {
    const name = `r${id}-${flag.replace(/^--/, '')}`;
    const created = runBin('create-vpp-app', [name, flag, '--vpp-release', STAND_IN_RELEASE], { cwd: work });
    expect(created.status, created.stderr).toBe(0);
    made.push(name);
    const file = join(work, name, 'vppkit.yaml');
    const lab = parseDocument(await readFile(file, 'utf8'));
    for (const [key, value] of Object.entries(mirror)) lab.setIn(['vpp', key], value);
    await writeFile(file, lab.toString());
    return name;
  }

  async function upAndCheck(name: string, smoke: RegExp): Promise<{ up: string }> {
    const cwd = join(work, name);
    const started = Date.now();
    const up = await vppkitWhileServing(['up'], cwd, 600_000);
    console.log(`[release path] vppkit up of ${name}: ${((Date.now() - started) / 1000).toFixed(1)}s`);
    expect(up.status, `${up.stderr}\n${up.stdout}`).toBe(0);
    expect(up.stdout).toContain(`Lab ${name} is up: vpp (created), app (created).`);
    const check = runBin('vppkit', ['check'], { cwd });
    expect(check.status, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toMatch(smoke);
    return { up: up.stderr };
  }

  const inNode = (name: string, node: string, script: string): string => {
    const result = runBin('vppkit', ['exec', node, '--', 'sh', '-c', script], { cwd: join(work, name) });
    expect(result.status, `${script}\n${result.stdout}${result.stderr}`).toBe(0);
    return result.stdout;
  };

  it('memif: VPP installs from the mirror as FD.io lays it out, libmemif is built from the release tag\'s source, and VPP pings the app', async () => {
    const name = await scaffold('--memif', { 'apt-repository': repository, 'source-tarball': sourceTarball });
    expect(runBin('vppkit', ['plan'], { cwd: join(work, name) }).stdout).toContain(`FD.io VPP ${STAND_IN_RELEASE} packages from ${repository}, built on the base image`);

    const { up } = await upAndCheck(name, /^ok {3}VPP pings app at 10\.\d+\.1\.2$/m);
    expect(up).toContain(`installing FD.io VPP ${STAND_IN_RELEASE} from ${repository} on`);
    // The version names its source: tag v26.06, which the mirror serves.
    expect(up).toContain(`libmemif for VPP ${STAND_IN_VERSION}: from ${server.url}/FDio/vpp/archive/v${STAND_IN_RELEASE}.tar.gz`);
    // The key where packagecloud serves it (the default beside the repository), the signed index, the packages.
    const repo = `/fdio/${STAND_IN_RELEASE.replace('.', '')}`;
    expect(server.requests).toEqual(
      expect.arrayContaining([
        `200 GET ${repo}/gpgkey`,
        `200 GET ${repo}/debian/dists/bookworm/InRelease`,
        `200 GET ${repo}/debian/pool/main/v/vpp/vpp_${STAND_IN_VERSION}_amd64.deb`,
        `200 GET ${repo}/debian/pool/main/v/vpp/vpp-plugin-core_${STAND_IN_VERSION}_amd64.deb`,
        `200 GET ${repo}/debian/pool/main/v/vpp/vpp-dev_${STAND_IN_VERSION}_amd64.deb`,
        `200 GET ${repo}/debian/pool/main/v/vpp/libvppinfra-dev_${STAND_IN_VERSION}_amd64.deb`,
        `200 GET /FDio/vpp/archive/v${STAND_IN_RELEASE}.tar.gz`,
      ]),
    );

    // FD.io's layout, not the prefix's: /usr/bin/vpp, its plugins found beside it with no RUNPATH, the vpp group.
    expect(inNode(name, 'vpp', 'dpkg-query -W -f=\'${Package} ${Version}\\n\' vpp vpp-plugin-core libvppinfra')).toBe(
      `libvppinfra ${STAND_IN_VERSION}\nvpp ${STAND_IN_VERSION}\nvpp-plugin-core ${STAND_IN_VERSION}\n`,
    );
    expect(inNode(name, 'vpp', 'command -v vpp; getent group vpp | cut -d: -f1; test -e /opt/vpp || echo "no /opt/vpp"')).toBe('/usr/bin/vpp\nvpp\nno /opt/vpp\n');
    const plugins = runBin('vppkit', ['vppctl', 'show', 'plugins'], { cwd: join(work, name) }).stdout;
    expect(plugins).toMatch(/Plugin path is: \/usr\/lib\/x86_64-linux-gnu\/vpp_plugins/);
    expect(plugins).toMatch(/memif_plugin\.so/);
    // What the stand-in really is: the prefix's own build (v26.10-rc0~374 with ../shared/vpp's), whatever its label.
    const version = runBin('vppkit', ['vppctl', 'show', 'version'], { cwd: join(work, name) }).stdout;
    expect(version).toMatch(/^vpp v\d+\.\d+\S* built by/);
    console.log(`[release path] packages labelled ${STAND_IN_VERSION} run ${version.trim()}`);
    expect(inNode(name, 'app', 'ldd "$(command -v memif-echo)"')).toMatch(/libmemif\.so => \/usr\/local\/lib\/libmemif\.so/);

    expect(runBin('vppkit', ['down'], { cwd: join(work, name) }).status).toBe(0);
    expect(await labLeftovers(docker, name)).toEqual([]);
  });

  it('vcl: the same VPP and app-dev images (the key named as the default is), the app built on vpp-dev\'s headers and libvppcom, and its echo round trip', async () => {
    const name = await scaffold('--vcl', { 'apt-repository': repository, 'apt-key': `${repository}/gpgkey`, 'source-tarball': sourceTarball });
    const { up } = await upAndCheck(name, /^ok {3}app's own check: \/bin\/sh -c vcl-echo-client$/m);
    // Same build arguments, same tags: nothing of VPP's is built again.
    expect(up).not.toContain('installing FD.io VPP');
    expect(up).not.toContain('building the app-dev image');
    // Built against vpp-dev's libvppcom; run with the copy VPP's container hands the apps (the same version).
    expect(inNode(name, 'app', 'env -u LD_LIBRARY_PATH ldd "$(command -v vcl-echo-server)"')).toMatch(/libvppcom\.so\.\S+ => \/(usr\/)?lib\/x86_64-linux-gnu\/libvppcom\.so/);
    expect(inNode(name, 'app', 'ldd "$(command -v vcl-echo-server)"')).toMatch(/libvppcom\.so\.\S+ => \/opt\/vppkit\/vcl\/libvppcom\.so/);
    expect(inNode(name, 'app', 'dpkg -S /usr/include/vcl/vppcom.h')).toBe('vpp-dev: /usr/include/vcl/vppcom.h\n');
    expect(runBin('vppkit', ['down'], { cwd: join(work, name) }).status).toBe(0);
    expect(await labLeftovers(docker, name)).toEqual([]);
  });
});

/**
 * vppkit as runBin runs it, without blocking this process: the mirror the image builds fetch from is
 * served from it.
 */
function vppkitWhileServing(args: string[], cwd: string, timeoutMs: number): Promise<BinResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN_PATHS.vppkit, ...args], { cwd, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGINT'), timeoutMs);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/**
 * The images these labs built: their tags name the mirror's ephemeral port, so no later run reuses
 * them. Apps first, then app-dev, then VPP (each is built on the one after it).
 */
async function removeRunImages(docker: Docker, labs: readonly string[]): Promise<void> {
  const ids: string[] = [];
  const idOf = (ref: string) => docker.getImage(ref).inspect().then((image) => image.Id, () => undefined);
  for (const suffix of [':app-dev', ':vpp']) {
    for (const lab of labs) {
      const found = await idOf(`vppkit.invalid/${lab}${suffix}`);
      if (found && !ids.includes(found)) ids.push(found);
    }
  }
  const apps = (await docker.listImages()).filter((image) => (image.RepoTags ?? []).some((tag) => labs.some((lab) => tag.startsWith(`vppkit/${lab}_`))));
  for (const id of [...apps.map((image) => image.Id), ...ids]) await docker.getImage(id).remove({ force: true }).catch(() => undefined);
}
