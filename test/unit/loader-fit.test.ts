import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { newestGlibc, readElf } from '../../src/images/elf-file.js';
import { loaderFit, type LoaderFitInput } from '../../src/images/loader-fit.js';

/** A 64-bit little-endian ELF program: a header, and a PT_INTERP segment when it names a loader. */
function fakeElf({ machine = 62, interpreter, trailer = '' }: { machine?: number; interpreter?: string; trailer?: string }): Buffer {
  const header = Buffer.alloc(64);
  header.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
  header.writeUInt16LE(2, 16); // ET_EXEC
  header.writeUInt16LE(machine, 18);
  header.writeBigUInt64LE(64n, 32); // e_phoff
  header.writeUInt16LE(56, 54);
  header.writeUInt16LE(interpreter ? 1 : 0, 56);
  if (!interpreter) return Buffer.concat([header, Buffer.from(trailer)]);
  const segment = Buffer.alloc(56);
  segment.writeUInt32LE(3, 0); // PT_INTERP
  segment.writeBigUInt64LE(120n, 8);
  segment.writeBigUInt64LE(BigInt(interpreter.length + 1), 32);
  return Buffer.concat([header, segment, Buffer.from(`${interpreter}\0${trailer}`)]);
}

// A real program of this host links glibc and asks for GLIBC_x.y versions: it stands for VCL's libraries.
const node = readFileSync(process.execPath);
const NEEDS = newestGlibc(Object.values(readElf(node).versionNeeds).flat())!;
const GLIBC_LOADER = '/lib64/ld-linux-x86-64.so.2';

function input(files: Record<string, Buffer | string>, argv: string[], preloaded = true): LoaderFitInput {
  return {
    argv,
    searchPath: '/usr/local/bin:/usr/bin:/bin',
    workingDir: '/',
    libraries: new Map([['libvcl_ldpreload.so', node]]),
    preloaded,
    read: async (path) => (files[path] === undefined ? undefined : { path, data: Buffer.from(files[path]!) }),
  };
}

const libc = (release: string) => fakeElf({ trailer: `GNU C Library (Debian GLIBC ${release}-1) stable release version ${release}.\n` });

describe('can an image\'s program load VCL\'s libraries (read from its files)', () => {
  it('a glibc program with a new enough glibc fits, found on PATH', async () => {
    const fit = await loaderFit(input({ '/usr/bin/app': fakeElf({ interpreter: GLIBC_LOADER }), '/lib64/libc.so.6': libc('99.0') }, ['app', '-x']));
    expect(fit).toEqual({ fits: true, program: '/usr/bin/app', glibc: '99.0' });
  });

  it('names both glibc versions when the image\'s is older than the libraries need', async () => {
    const fit = await loaderFit(input({ '/usr/bin/app': fakeElf({ interpreter: GLIBC_LOADER }), '/lib/x86_64-linux-gnu/libc.so.6': libc('2.2') }, ['app']));
    expect(fit).toMatchObject({ fits: false, finding: 'old-glibc' });
    expect(fit.fits === false && fit.message).toBe(
      `the image's glibc is 2.2 (/lib/x86_64-linux-gnu/libc.so.6) and VCL's libraries from the lab's VPP need glibc ${NEEDS} (libvcl_ldpreload.so asks for GLIBC_${NEEDS}): the loader would refuse them`,
    );
  });

  it('refuses musl\'s loader, a static program, another architecture, and a loader without libc', async () => {
    const cases: [Buffer, string][] = [
      [fakeElf({ interpreter: '/lib/ld-musl-x86_64.so.1' }), 'musl'],
      [fakeElf({}), 'static'],
      [fakeElf({ machine: 183, interpreter: '/lib/ld-linux-aarch64.so.1' }), 'machine'],
      [fakeElf({ interpreter: GLIBC_LOADER }), 'no-libc'],
    ];
    for (const [program, finding] of cases) {
      expect(await loaderFit(input({ '/bin/app': program }, ['/bin/app']))).toMatchObject({ fits: false, finding });
    }
  });

  it('a static program is fine on the native vcl path (it links libvppcom itself)', async () => {
    expect(await loaderFit(input({ '/bin/app': fakeElf({}) }, ['/bin/app'], false))).toEqual({ fits: true, program: '/bin/app' });
  });

  it('follows a script to its interpreter, through env on PATH', async () => {
    const files = { '/app/run': '#!/usr/bin/env python3\nprint(1)\n', '/usr/bin/python3': fakeElf({ interpreter: '/lib/ld-musl-x86_64.so.1' }) };
    const fit = await loaderFit({ ...input(files, ['./run']), workingDir: '/app' });
    expect(fit).toMatchObject({ fits: false, finding: 'musl', program: '/app/run (a script run by /usr/bin/python3)' });
  });

  it('a command the image does not have is named with the PATH searched', async () => {
    expect(await loaderFit(input({}, ['nginxx']))).toMatchObject({ fits: false, finding: 'not-found', message: 'its command nginxx is not in the image (searched PATH=/usr/local/bin:/usr/bin:/bin)' });
  });

  it('says nothing of a program it cannot read (neither ELF nor a script)', async () => {
    expect(await loaderFit(input({ '/bin/app': 'binary of another kind' }, ['/bin/app']))).toMatchObject({ fits: 'unknown' });
  });
});

describe('the image check does not refuse what works', () => {
  it('judges the program a static init or user switcher starts (tini, gosu), not the wrapper', async () => {
    const files = { '/tini': fakeElf({}), '/usr/bin/app': fakeElf({ interpreter: '/lib/ld-musl-x86_64.so.1' }) };
    expect(await loaderFit(input(files, ['/tini', '--', 'app']))).toMatchObject({ fits: false, finding: 'musl', program: '/usr/bin/app (started by /tini, statically linked)' });
    const glibc = { ...files, '/usr/bin/app': fakeElf({ interpreter: GLIBC_LOADER }), '/lib64/libc.so.6': libc('99.0') };
    expect(await loaderFit(input(glibc, ['/tini', '--', 'app']))).toMatchObject({ fits: true });
  });

  it('env -S and a script that runs itself end without a refusal', async () => {
    const viaS = { '/app/run': '#!/usr/bin/env -S python3 -u\n', '/usr/bin/python3': fakeElf({ interpreter: GLIBC_LOADER }), '/lib64/libc.so.6': libc('99.0') };
    expect(await loaderFit({ ...input(viaS, ['/app/run']) })).toMatchObject({ fits: true });
    expect(await loaderFit(input({ '/loop': '#!/loop\n' }, ['/loop']))).toMatchObject({ fits: 'unknown' });
  });

  it('a program whose headers cannot be read is "unknown", not refused', async () => {
    const cut = fakeElf({ interpreter: GLIBC_LOADER }).subarray(0, 60);
    expect(await loaderFit(input({ '/bin/app': Buffer.concat([cut, Buffer.alloc(0)]) }, ['/bin/app']))).toMatchObject({ fits: 'unknown' });
  });
});
