import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { BIN_PATHS, runBin } from '../support/run-bin.js';

const tier = inject('engineTier');
/** Creating a user needs root; CI machines run as root, a developer's may not. */
const isRoot = process.getuid?.() === 0;
const NON_ROOT = 'vppkit-test-nonroot';

// What a user sees when vppkit cannot talk to the engine: what is wrong and the fix, never the
// engine client's bare "connect ENOENT", and a step name for every failed up.
describe.skipIf(!tier.run)('engine errors, as the user sees them', () => {
  let work: string;
  let labFile: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'vppkit-engine-errors-'));
    await chmod(work, 0o755);
    labFile = join(work, 'vppkit.yaml');
    await writeFile(labFile, 'name: errs\napps:\n  - { name: app, path: memif, image: example/app }\n');
    await chmod(labFile, 0o644);
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  const vppkit = (args: string[], env: NodeJS.ProcessEnv = {}) => runBin('vppkit', args, { cwd: work, env });

  it('no engine at DOCKER_HOST: status, up (with its step) and doctor say so and how to fix it', () => {
    const env = { DOCKER_HOST: `unix://${work}/nope.sock` };
    const status = vppkit(['status'], env);
    expect(status.status).toBe(1);
    expect(status.stderr).toBe(`vppkit: no Docker engine at unix://${work}/nope.sock: the socket ${work}/nope.sock does not exist. Fix: start the engine (sudo systemctl start docker, or dockerd), or point DOCKER_HOST at a running engine (docker context inspect shows where yours listens)\n`);
    const up = vppkit(['up'], env);
    expect(up.status).toBe(1);
    // The step is the first that talks to the engine, whichever that is.
    expect(up.stderr).toContain(`": no Docker engine at unix://${work}/nope.sock`);
    expect(up.stderr).toMatch(/vppkit: up failed at "[a-z ]+": /);
    expect(up.stderr).not.toContain('failed at ""');
    const doctor = vppkit(['doctor'], env);
    expect(doctor.stdout).toContain(`FAIL Docker engine: no Docker engine at unix://${work}/nope.sock`);
    expect(doctor.stdout).toContain('fix: start the engine (sudo systemctl start docker, or dockerd)');
  });

  it('a DOCKER_HOST whose host does not resolve, or where nothing listens', () => {
    expect(vppkit(['status'], { DOCKER_HOST: 'no-such-host.invalid' }).stderr).toBe(
      'vppkit: the host in DOCKER_HOST=no-such-host.invalid cannot be resolved. Fix: correct DOCKER_HOST, or unset it for the local engine\n',
    );
    expect(vppkit(['status'], { DOCKER_HOST: 'tcp://127.0.0.1:1' }).stderr).toMatch(/^vppkit: nothing accepts connections at tcp:\/\/127\.0\.0\.1:1\. Fix: start the engine there/);
  });

  it('an API version newer than the engine speaks: the engine\'s own answer, in words', () => {
    const version = execFileSync('docker', ['version', '--format', '{{.Server.APIVersion}}'], { encoding: 'utf8' }).trim();
    const status = vppkit(['status'], { DOCKER_API_VERSION: '1.99' });
    expect(status.status).toBe(1);
    expect(status.stderr).toBe(
      `vppkit: the Docker engine at ${process.env.DOCKER_HOST?.trim() || 'unix:///var/run/docker.sock'} speaks API ${version} at most; vppkit asked for 1.99 (DOCKER_API_VERSION). Fix: unset DOCKER_API_VERSION (vppkit then speaks the engine's own version), or set it to ${version}\n`,
    );
    expect(vppkit(['doctor'], { DOCKER_API_VERSION: '1.99' }).stdout).toContain(`FAIL Docker engine: the Docker engine at`);
  });

  it.skipIf(!isRoot)('a user outside the docker group: the group, or the rootless socket, with the commands (run as a user the test creates)', () => {
    spawnSync('useradd', ['--no-create-home', '--shell', '/usr/sbin/nologin', NON_ROOT]);
    try {
      const asUser = (args: string[]) =>
        spawnSync('runuser', ['-u', NON_ROOT, '--', process.execPath, BIN_PATHS.vppkit, ...args], { cwd: work, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: work } });
      const status = asUser(['status']);
      expect(status.status).toBe(1);
      expect(status.stderr).toMatch(/^vppkit: permission denied on the Docker engine's socket \/var\/run\/docker\.sock\. Fix: let your user use it: sudo usermod -aG docker "\$USER", then log in again \(or run newgrp docker\); with rootless Docker, export DOCKER_HOST=unix:\/\/\$XDG_RUNTIME_DIR\/docker\.sock\n$/);
      const doctor = asUser(['doctor']);
      expect(doctor.stdout).toContain('FAIL Docker engine: permission denied on the Docker engine\'s socket /var/run/docker.sock');
      expect(doctor.stdout).toContain('fix: let your user use it: sudo usermod -aG docker');
    } finally {
      spawnSync('userdel', [NON_ROOT]);
    }
  });

  it('usage errors exit 2; exec takes the command\'s own options and says how to give one', () => {
    expect(vppkit(['up', '--no-such-flag']).status).toBe(2);
    expect(vppkit(['no-such-command']).status).toBe(2);
    const empty = vppkit(['exec', 'app', '--']);
    expect(empty.status).toBe(2);
    expect(empty.stderr).toBe('vppkit: give the command to run in app, e.g. vppkit exec app -- ls -l\n');
  });
});
