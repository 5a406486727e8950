import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prefixRuntimeLibraries } from '../../src/images/prefix-runtime-libs.js';

// A stand-in prefix: a real dynamically linked binary (Debian's ls links libselinux beyond the C
// library), a symlink to it and a script, as an install prefix has.
const lsLinks = (() => {
  try {
    return execFileSync('ldd', ['/bin/ls'], { encoding: 'utf8' });
  } catch {
    return '';
  }
})();

describe.skipIf(!lsLinks.includes('libselinux'))('prefixRuntimeLibraries (ldd on this host)', () => {
  let prefix: string;
  beforeAll(async () => {
    prefix = await mkdtemp(join(tmpdir(), 'vppkit-prefix-'));
    await mkdir(join(prefix, 'bin'));
    await copyFile('/bin/ls', join(prefix, 'bin', 'vpp'));
    await symlink('vpp', join(prefix, 'bin', 'vpp-link'));
    await writeFile(join(prefix, 'bin', 'vppctl-wrapper'), '#!/bin/sh\nexec vppctl "$@"\n');
  });
  afterAll(() => rm(prefix, { recursive: true, force: true }));

  it('finds what the prefix links beyond the C library, as this host resolves it', async () => {
    const { libraries, missing } = await prefixRuntimeLibraries(prefix);
    expect(libraries.get('libselinux.so.1')).toMatch(/^\/.*libselinux\.so\.1$/);
    expect(missing.size).toBe(0);
  });

  it('carries no companion files for libraries that have none', async () => {
    expect((await prefixRuntimeLibraries(prefix)).companions.size).toBe(0);
  });

  it('leaves the C library and the loader to the base image', async () => {
    const { libraries } = await prefixRuntimeLibraries(prefix);
    for (const soname of libraries.keys()) expect(soname).not.toMatch(/^(libc|libm|ld-linux|linux-vdso)/);
  });
});
