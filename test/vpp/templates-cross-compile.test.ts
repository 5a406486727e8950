import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { resolveBaseImage } from '../../src/config/defaults.js';
import { buildImage } from '../../src/engine/build-image.js';
import { imageExists } from '../../src/engine/pull-image.js';
import { runOnce, type RunOnceResult } from '../../src/engine/run-once.js';
import { packContext } from '../../src/images/build-context.js';
import { engineClient } from '../support/engine.js';
import { repoRoot } from '../support/run-bin.js';

const tier = inject('vppTier');

/** VPP's extras/libmemif, as a release's source tarball has it (see release-path.test.ts). */
const SHARED = join(repoRoot, '..', 'shared', 'vpp');
const tarball = existsSync(SHARED) ? readdirSync(SHARED).find((name) => /^vpp-.*-libmemif-src\.tar\.gz$/.test(name)) : undefined;
if (tier.run && !tarball) console.log(`[vpp tier] aarch64 cross-compile SKIPPED: no vpp-<version>-libmemif-src.tar.gz in ${SHARED}`);

/** Debian's cross toolchain for arm64, and a native gcc to compare with. */
const DOCKERFILE = [
  'ARG BASE_IMAGE',
  'FROM ${BASE_IMAGE}',
  'RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \\',
  '      gcc-aarch64-linux-gnu libc6-dev-arm64-cross gcc libc6-dev cmake make \\',
  ' && rm -rf /var/lib/apt/lists/*',
].join('\n');

/**
 * CMake for arm64 as Debian's cross toolchain is usually driven: libraries and headers for the
 * target are looked for only under /opt/arm64, where the arm64 things this test builds go, never in
 * the machine's own /opt/vpp or /usr/local, which are x86_64.
 */
const TOOLCHAIN = [
  'set(CMAKE_SYSTEM_NAME Linux)',
  'set(CMAKE_SYSTEM_PROCESSOR aarch64)',
  'set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)',
  'set(CMAKE_FIND_ROOT_PATH /opt/arm64)',
  'set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)',
  'set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)',
  'set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)',
].join('\n');

// Apple-silicon Macs (Docker Desktop) and other arm64 hosts run the arm64 images: the templates,
// libmemif and the app-dev image's build of it must hold up there too. There is no arm64 VPP here,
// so this compiles (and links what needs no VPP library) for aarch64 with Debian's cross toolchain.
describe.skipIf(!tier.run || !tarball)('the templates and libmemif compile for aarch64 (Debian\'s gcc-aarch64-linux-gnu)', () => {
  const docker = engineClient();
  let image: string;
  let work: string;

  beforeAll(async () => {
    const base = resolveBaseImage();
    image = `vppkit-test/cross-aarch64:${createHash('sha256').update(`${DOCKERFILE}\n${base}`).digest('hex').slice(0, 16)}`;
    work = await mkdtemp(join(tmpdir(), 'vppkit-tpl-cross-'));
    await writeFile(join(work, 'aarch64.cmake'), `${TOOLCHAIN}\n`);
    if (await imageExists(docker, image)) return;
    // Kept between runs, by a tag from its Dockerfile and base: Debian's cross toolchain takes a while to install.
    const dir = join(work, 'image');
    await mkdir(dir);
    await writeFile(join(dir, 'Dockerfile'), DOCKERFILE);
    await buildImage(docker, { context: packContext([{ from: dir, to: '.' }]), tag: image, buildArgs: { BASE_IMAGE: base } });
  }, 600_000);
  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  /** A bash script in the cross image: the templates, app-dev's scripts, VPP's prefix and libmemif's source read-only. */
  function inCrossImage(script: string): Promise<RunOnceResult> {
    return runOnce(docker, {
      image,
      cmd: ['bash', '-euo', 'pipefail', '-c', script],
      hostConfig: {
        NetworkMode: 'none',
        Binds: [
          `${join(repoRoot, 'templates')}:/templates:ro`,
          `${join(repoRoot, 'images/app-dev')}:/app-dev:ro`,
          `${tier.prefix!}:/opt/vpp:ro`,
          `${join(SHARED, tarball!)}:/vpp-source.tar.gz:ro`,
          `${join(work, 'aarch64.cmake')}:/aarch64.cmake:ro`,
        ],
      },
    });
  }

  /** app-dev's build of libmemif, for arm64 into the arm64 root (as app-dev puts it: /usr/local). */
  const LIBMEMIF_FOR_ARM64 = [
    'mkdir -p /tmp/libmemif',
    "tar -xzf /vpp-source.tar.gz -C /tmp/libmemif --strip-components=4 --wildcards '*/extras/libmemif/src'",
    'CC=aarch64-linux-gnu-gcc sh /app-dev/build-libmemif.sh /tmp/libmemif /opt/arm64/usr/local',
  ].join('\n');
  const machine = (file: string): string => `echo "${file}: $(aarch64-linux-gnu-readelf -h ${file} | awk -F: '/Machine/ { gsub(/^ +/, "", $2); print $2 }')"`;

  it('libmemif: app-dev\'s build-libmemif.sh builds it for aarch64 with VPP\'s 128-byte cache line there, 64 on x86_64', async () => {
    const result = await inCrossImage([
      LIBMEMIF_FOR_ARM64,
      machine('/opt/arm64/usr/local/lib/libmemif.so'),
      'sh /app-dev/build-libmemif.sh /tmp/libmemif /tmp/native',
    ].join('\n'));
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^libmemif for aarch64-linux-gnu: cache line 128 bytes, -DHAVE_MEMFD_CREATE$/m);
    expect(result.stdout).toContain('/opt/arm64/usr/local/lib/libmemif.so: AArch64');
    expect(result.stdout).toMatch(/^libmemif for x86_64-linux-gnu: cache line 64 bytes, -DHAVE_MEMFD_CREATE$/m);
  });

  it('memif and sockets-echo: their CMake projects configure, compile with -Werror and link for aarch64 (memif against the arm64 libmemif)', async () => {
    const result = await inCrossImage([
      LIBMEMIF_FOR_ARM64,
      'for template in memif sockets-echo; do',
      '  cmake -S /templates/$template -B /tmp/build-$template -DCMAKE_TOOLCHAIN_FILE=/aarch64.cmake -DCMAKE_BUILD_TYPE=Release >/dev/null',
      '  cmake --build /tmp/build-$template >/dev/null',
      'done',
      machine('/tmp/build-memif/memif-echo'),
      machine('/tmp/build-sockets-echo/echo-server'),
      machine('/tmp/build-sockets-echo/echo-client'),
      'aarch64-linux-gnu-readelf -d /tmp/build-memif/memif-echo | grep -o "Shared library: \\[libmemif.so\\]"',
    ].join('\n'));
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain('/tmp/build-memif/memif-echo: AArch64');
    expect(result.stdout).toContain('/tmp/build-sockets-echo/echo-server: AArch64');
    expect(result.stdout).toContain('/tmp/build-sockets-echo/echo-client: AArch64');
    expect(result.stdout).toContain('Shared library: [libmemif.so]');
  });

  it('vcl: its sources compile for aarch64 against VPP\'s headers (-c: no arm64 libvppcom to link), and its CMake project looks for libvppcom in the prefix\'s lib/aarch64-linux-gnu', async () => {
    const result = await inCrossImage([
      'for program in vcl-echo-server vcl-echo-client; do',
      '  aarch64-linux-gnu-gcc -std=c11 -Wall -Wextra -Werror -O2 -I/opt/vpp/include -c /templates/vcl/src/$program.c -o /tmp/$program.o',
      `  ${machine('/tmp/$program.o')}`,
      'done',
      // An arm64 VPP prefix's headers (VPP's headers are the same on every machine), and no arm64 library.
      'mkdir -p /opt/arm64/opt/vpp && cp -r /opt/vpp/include /opt/arm64/opt/vpp/',
      'cmake -S /templates/vcl -B /tmp/build-vcl -DCMAKE_TOOLCHAIN_FILE=/aarch64.cmake 2>&1 && exit 1 || true',
    ].join('\n'));
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain('/tmp/vcl-echo-server.o: AArch64');
    expect(result.stdout).toContain('/tmp/vcl-echo-client.o: AArch64');
    expect(result.stdout.replace(/\s+/g, ' ')).toContain('libvppcom for aarch64-linux-gnu is neither in /opt/vpp/lib/aarch64-linux-gnu, /opt/vpp/lib nor in the system\'s library folders');
  });
});
