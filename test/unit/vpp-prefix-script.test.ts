import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/run-bin.js';

// scripts/vpp-prefix.sh works on /opt/vpp itself (a prefix's RUNPATH names it), so each case runs in
// a mount namespace with an empty tmpfs over /opt: the machine's own /opt/vpp is never touched.
const HOST_LIBRARIES = ['libbpf1', 'libxdp1', 'libelf1', 'libnl-3-200', 'libnl-route-3-200', 'libssl3', 'libunwind8', 'liblzma5', 'zlib1g'];
const whyNot = ((): string | undefined => {
  if (process.getuid?.() !== 0) return 'needs root (a mount namespace over /opt)';
  if (spawnSync('unshare', ['--mount', 'true']).status !== 0) return 'unshare --mount is not allowed here';
  const installed = spawnSync('dpkg-query', ['-W', '-f=${Package} ${Status}\n', ...HOST_LIBRARIES], { encoding: 'utf8' }).stdout;
  const missing = HOST_LIBRARIES.filter((pkg) => !new RegExp(`^${pkg} .*ok installed`, 'm').test(installed));
  // Installing them is the script's job on a real run; here it would reach for apt.
  if (missing.length) return `the prefix's host libraries are not installed (${missing.join(', ')}): run bash scripts/vpp-prefix.sh once`;
  return undefined;
})();
if (whyNot) console.log(`[unit] scripts/vpp-prefix.sh tests skipped: ${whyNot}`);

describe.skipIf(Boolean(whyNot))('scripts/vpp-prefix.sh', () => {
  let dir: string;

  /** A stand-in prefix tarball: opt/vpp/bin/vpp that prints which build it is. */
  async function tarball(folder: string, name: string, build: string): Promise<void> {
    const root = join(dir, `root-${build}`);
    await mkdir(join(root, 'opt/vpp/bin'), { recursive: true });
    await writeFile(join(root, 'opt/vpp/bin/vpp'), `#!/bin/sh\necho ${build}\n`, { mode: 0o755 });
    await mkdir(folder, { recursive: true });
    expect(spawnSync('tar', ['-C', root, '-cJf', join(folder, name), 'opt']).status).toBe(0);
  }

  /** Runs a shell script in a fresh mount namespace whose /opt is an empty tmpfs. */
  function inEmptyOpt(script: string, env: NodeJS.ProcessEnv = {}): { status: number | null; out: string } {
    const { VPPKIT_VPP_PREFIX: _unset, ...rest } = process.env;
    const result = spawnSync('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', `mount -t tmpfs tmpfs /opt && ${script}`], {
      cwd: repoRoot,
      env: { ...rest, ...env },
      encoding: 'utf8',
    });
    return { status: result.status, out: `${result.stdout}${result.stderr}` };
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vppkit-prefix-script-'));
    await tarball(join(dir, 'one'), 'vpp-prefix-v1-bookworm-amd64.tar.xz', 'one');
    await tarball(join(dir, 'two'), 'vpp-prefix-v2-bookworm-amd64.tar.xz', 'two');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('unpacks at /opt/vpp where there is none, then finds it already there', () => {
    const run = inEmptyOpt(`bash scripts/vpp-prefix.sh ${dir}/one && /opt/vpp/bin/vpp && bash scripts/vpp-prefix.sh ${dir}/one && ls -A /opt`);
    expect(run.status, run.out).toBe(0);
    expect(run.out).toBe(
      [
        'vpp-prefix: unpacked vpp-prefix-v1-bookworm-amd64.tar.xz at /opt/vpp',
        'one',
        'vpp-prefix: /opt/vpp already holds vpp-prefix-v1-bookworm-amd64.tar.xz',
        // No staging folder left behind.
        'vpp',
        '',
      ].join('\n'),
    );
  });

  it('replaces a prefix it unpacked with a different tarball, never a VPP someone else put there', () => {
    const replaced = inEmptyOpt(`bash scripts/vpp-prefix.sh ${dir}/one >/dev/null && bash scripts/vpp-prefix.sh ${dir}/two && /opt/vpp/bin/vpp`);
    expect(replaced.status, replaced.out).toBe(0);
    expect(replaced.out).toBe('vpp-prefix: unpacked vpp-prefix-v2-bookworm-amd64.tar.xz at /opt/vpp\ntwo\n');

    const own = inEmptyOpt(
      `mkdir -p /opt/vpp/bin && printf '#!/bin/sh\\necho mine\\n' > /opt/vpp/bin/vpp && chmod +x /opt/vpp/bin/vpp && bash scripts/vpp-prefix.sh ${dir}/two && /opt/vpp/bin/vpp`,
    );
    expect(own.status, own.out).toBe(0);
    expect(own.out).toBe('vpp-prefix: a VPP is installed at /opt/vpp (not one this script unpacked); leaving it as it is\nmine\n');
  });

  it('leaves everything alone with VPPKIT_VPP_PREFIX set or no tarball, and refuses a non-empty /opt/vpp without a VPP', () => {
    const configured = inEmptyOpt(`bash scripts/vpp-prefix.sh ${dir}/one && ls -A /opt`, { VPPKIT_VPP_PREFIX: '/somewhere/vpp' });
    expect(configured).toEqual({ status: 0, out: 'vpp-prefix: VPPKIT_VPP_PREFIX=/somewhere/vpp is set; using it, nothing unpacked\n' });

    const none = inEmptyOpt(`bash scripts/vpp-prefix.sh ${dir}/nothing-here && ls -A /opt`);
    expect(none).toEqual({ status: 0, out: `vpp-prefix: no VPP at /opt/vpp and no vpp-prefix-*-amd64.tar.xz in ${dir}/nothing-here; the vpp tier will skip\n` });

    const occupied = inEmptyOpt(`mkdir -p /opt/vpp/lib && touch /opt/vpp/lib/keep && bash scripts/vpp-prefix.sh ${dir}/one 2>&1; echo "exit $?"; ls /opt/vpp/lib`);
    expect(occupied.out).toBe('vpp-prefix: /opt/vpp exists, is not empty and has no bin/vpp; move it away or set VPPKIT_VPP_PREFIX\nexit 1\nkeep\n');
  });
});
