import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadLab } from '../../src/lab/load-lab.js';
import { engineClient, labLeftovers, untagLabImages } from '../support/engine.js';
import { testPoolLine } from '../support/engine-lab.js';
import { repoRoot, runBin } from '../support/run-bin.js';

const tier = inject('vppTier');
const IMAGES = join(repoRoot, 'test/support/byo-images');

/** Builds one of test/support/byo-images (kept between runs: the engine's cache makes a rebuild quick). */
function buildImage(name: string, buildArgs: Record<string, string> = {}): string {
  const tag = `vppkit-test/byo-${name}:latest`;
  const args = Object.entries(buildArgs).flatMap(([key, value]) => ['--build-arg', `${key}=${value}`]);
  execFileSync('docker', ['build', '-q', '-t', tag, ...args, join(IMAGES, name)], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 900_000 });
  return tag;
}

// Ordinary images, not built on any kit image, with nothing of vppkit's inside: what users bring.
describe.skipIf(!tier.run)('bring your own app: ordinary images on the vcl paths, on a real VPP', () => {
  let dir: string;
  const id = Math.random().toString(16).slice(2, 8);
  const labs: string[] = [];
  const images: Record<string, string> = {};

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vppkit-byo-'));
    // Debian 11 (glibc 2.31), made as the bookworm base image is; a second run finds it.
    execFileSync('bash', [join(repoRoot, 'scripts/base-image.sh')], {
      env: { ...process.env, VPPKIT_BASE_IMAGE: 'vppkit/debian-base:bullseye', VPPKIT_BASE_SUITE: 'bullseye' },
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 900_000,
    });
    for (const name of ['nginx', 'curl', 'musl', 'static', 'bullseye']) images[name] = buildImage(name);
    images['nginx-v6only'] = buildImage('nginx-v6only', { NGINX_IMAGE: images.nginx! });
  }, 1_800_000);

  afterAll(async () => {
    for (const lab of labs) runBin('vppkit', ['down', '--name', lab], { cwd: dir });
    for (const lab of labs) await untagLabImages(engineClient(), lab);
    await rm(dir, { recursive: true, force: true });
  });

  async function writeLab(name: string, apps: string): Promise<string> {
    labs.push(name);
    const folder = join(dir, name);
    await rm(folder, { recursive: true, force: true });
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, 'vppkit.yaml'), `name: ${name}\n${testPoolLine(name)}\nvpp:\n  prefix: ${tier.prefix}\napps:\n${apps}`);
    return folder;
  }
  const vppkit = (folder: string, args: string[]) => runBin('vppkit', args, { cwd: folder, timeoutMs: 600_000 });

  it('Debian\'s nginx under LD_PRELOAD answers curl from a second ordinary image through VPP; show app lists both', async () => {
    const name = `byo${id}`;
    const folder = await writeLab(
      name,
      [
        `  - { name: web, path: vcl-ldpreload, image: ${images.nginx}, port: 80 }`,
        `  - name: client`,
        `    path: vcl-ldpreload`,
        `    image: ${images.curl}`,
        // The client's own check: a request to nginx, through VPP's session layer.
        `    check: [sh, -c, 'curl -fsS -m 5 -o /dev/null -w "%{http_code}" http://$WEB/']`,
        `    env: { WEB: "@WEB@" }`,
        '',
      ].join('\n'),
    );
    // nginx's address, as the lab gives it (VPP hosts it for the vcl paths).
    const file = join(folder, 'vppkit.yaml');
    const web = (await loadLab(file)).apps[0]!.link.app.ip;
    await writeFile(file, (await readFile(file, 'utf8')).replace('@WEB@', web));

    const up = vppkit(folder, ['up']);
    expect(up.status, up.stderr + up.stdout).toBe(0);
    expect(up.stderr).toMatch(/ok check the apps' images/);

    const apps = vppkit(folder, ['vppctl', 'show', 'app']).stdout;
    expect(apps).toMatch(/\bweb-ldp-\d+\b/);
    expect(apps).toMatch(/\bclient-ldp-\d+\b/);

    const check = vppkit(folder, ['check']);
    expect(check.status, check.stdout).toBe(0);
    expect(check.stdout).toMatch(new RegExp(`^ok {3}web listens on ${web.replaceAll('.', '\\.')}:80 in VPP's session layer$`, 'm'));
    expect(check.stdout).toMatch(/^ok {3}client's own check: sh -c curl/m);

    // The request really crosses VPP's session layer: VPP lists the connection to nginx's address.
    const curl = vppkit(folder, ['exec', 'client', '--', 'sh', '-c', 'curl -sS -m 5 http://$WEB/ | grep -m1 -o "Welcome to nginx"']);
    expect(curl).toMatchObject({ status: 0, stdout: 'Welcome to nginx\n' });
    expect(vppkit(folder, ['vppctl', 'show', 'session', 'verbose']).stdout).toMatch(new RegExp(`${web.replaceAll('.', '\\.')}:80->\\S+\\s+(?:ESTABLISHED|CLOSED|TRANSPORT)`));

    // Nothing of VCL's was in either image: the libraries came from VPP's volume.
    const inImage = execFileSync('docker', ['run', '--rm', '--entrypoint', 'sh', images.curl!, '-c', 'ls /opt/vppkit 2>&1; ldconfig -p | grep -c vppcom || true'], { encoding: 'utf8' });
    expect(inImage).toMatch(/No such file or directory\n0\n$/);

    expect(vppkit(folder, ['down']).status).toBe(0);
    expect(await labLeftovers(engineClient(), name)).toEqual([]);
  });

  it('a server on [::] only: check names the missing dual-stack and the fix', async () => {
    const name = `byv${id}`;
    const folder = await writeLab(name, `  - { name: web, path: vcl-ldpreload, image: ${images['nginx-v6only']}, port: 80 }\n`);
    const up = vppkit(folder, ['up']);
    expect(up.status, up.stderr + up.stdout).toBe(0);
    const check = vppkit(folder, ['check']);
    expect(check.status).toBe(1);
    expect(check.stdout).toMatch(/^FAIL web listens on .*:80 in VPP's session layer$/m);
    expect(check.stdout).toMatch(/web listens on \[::\]:80 only: VPP's session layer has no dual-stack sockets.*Fix: make it listen on 0\.0\.0\.0:80/);
    expect(vppkit(folder, ['down']).status).toBe(0);
  });

  it('refuses musl, too old a glibc, a static program and a missing command before they start, with the reason and the fix, and rolls back', async () => {
    const name = `byr${id}`;
    const folder = await writeLab(
      name,
      [
        `  - { name: alpine-like, path: vcl-ldpreload, image: ${images.musl} }`,
        `  - { name: old, path: vcl-ldpreload, image: ${images.bullseye} }`,
        `  - { name: static, path: vcl-ldpreload, image: ${images.static} }`,
        '',
      ].join('\n'),
    );
    const up = vppkit(folder, ['up']);
    expect(up.status).toBe(1);
    expect(up.stderr).toMatch(/^vppkit: up failed at "check the apps' images": the images of alpine-like, old, static do not fit their paths/m);
    expect(up.stderr).toMatch(/^alpine-like \(image .*byo-musl.*\): \/usr\/bin\/idle is linked against musl \(its loader is \/lib\/ld-musl-x86_64\.so\.1/m);
    expect(up.stderr).toMatch(/^old \(image .*byo-bullseye.*\): the image's glibc is 2\.31 \(.*\) and VCL's libraries from the lab's VPP need glibc 2\.\d+ \(libvcl_ldpreload\.so asks for GLIBC_2\.\d+\)/m);
    expect(up.stderr).toMatch(/^static \(image .*byo-static.*\): \/idle is statically linked/m);
    expect(up.stderr).toMatch(/^ {2}Fix: use a glibc-based image/m);
    expect(await labLeftovers(engineClient(), name)).toEqual([]);

    const typo = await writeLab(`byt${id}`, `  - { name: typo, path: vcl-ldpreload, image: ${images.curl}, command: [curll, --version] }\n`);
    const refused = vppkit(typo, ['up']);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/^typo \(image .*byo-curl.*\): its command curll is not in the image \(searched PATH=/m);
    expect(refused.stderr).toMatch(/^ {2}Fix: give the app a `command:` that exists in its image/m);
    expect(await labLeftovers(engineClient(), `byt${id}`)).toEqual([]);
  });

  it('af_xdp and tap with an image that has nothing in it (no shell, no cat): af_xdp is up and checked, tap is refused at vhost-net', async () => {
    const name = `byx${id}`;
    const folder = await writeLab(name, `  - { name: bare, path: af_xdp, image: ${images.static} }\n`);
    const up = vppkit(folder, ['up']);
    expect(up.status, up.stderr + up.stdout).toBe(0);
    expect(up.stderr).toMatch(/ok apps ready/);
    const check = vppkit(folder, ['check']);
    expect(check.status, check.stdout).toBe(0);
    expect(check.stdout).toMatch(/^ok {3}VPP pings bare at 10\.\d+\.\d+\.2$/m);
    expect(vppkit(folder, ['exec', 'bare', '--', 'sh', '-c', 'true']).status).not.toBe(0); // truly nothing inside
    expect(vppkit(folder, ['down']).status).toBe(0);

    const tap = await writeLab(`byp${id}`, `  - { name: bare, path: tap, image: ${images.static} }\n`);
    const tapUp = vppkit(tap, ['up']);
    if (existsSync('/dev/vhost-net')) {
      expect(tapUp.status, tapUp.stderr).toBe(0);
      expect(vppkit(tap, ['check']).status).toBe(0);
      expect(vppkit(tap, ['down']).status).toBe(0);
    } else {
      console.log('[vpp tier] tap with a bare image: proven up to the host check only (no /dev/vhost-net here)');
      expect(tapUp.stderr).toMatch(/up failed at "check the host": \/dev\/vhost-net: missing/);
    }
    expect(await labLeftovers(engineClient(), `byp${id}`)).toEqual([]);
  });

  it('bad input fails up with the app\'s own words and the fix, and rolls back: an image that does not exist, a command that exits at once', async () => {
    const missing = await writeLab(`byi${id}`, '  - { name: app, path: memif, image: vppkit-test/no-such-image:1 }\n');
    const noImage = vppkit(missing, ['up']);
    expect(noImage.status).toBe(1);
    expect(noImage.stderr).toMatch(/up failed at "images": the image vppkit-test\/no-such-image:1 is not on this engine and pulling it failed \(.*\)\. Fix: check its name in the lab file; build it first/);
    expect(await labLeftovers(engineClient(), `byi${id}`)).toEqual([]);

    const exits = await writeLab(
      `bye${id}`,
      `  - { name: app, path: vcl-ldpreload, image: ${images.curl}, command: [sh, -c, 'echo starting; echo "app: no config at /etc/app.conf" >&2; exit 3'] }\n`,
    );
    const started = Date.now();
    const exited = vppkit(exits, ['up']);
    expect(exited.status).toBe(1);
    // At once, though the engine restarts it (a vcl app is restarted on failure): not after readiness's two minutes.
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(exited.stderr).toMatch(/up failed at "apps ready": app exited, and the engine is restarting it, while waiting for: .*Fix: its last log lines below say why/);
    expect(exited.stderr).toMatch(/^last log lines of app:\n(?: {2}.*\n)* {2}app: no config at \/etc\/app\.conf$/m);
    expect(await labLeftovers(engineClient(), `bye${id}`)).toEqual([]);
  });
});
