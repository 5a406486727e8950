import { mkdtemp, mkdir, readFile, readlink, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { extract } from 'tar-fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { packContext } from '../../src/images/build-context.js';
import { combineFingerprints, fingerprintTree } from '../../src/images/fingerprint.js';

let work: string;
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'vppkit-context-'));
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

async function tree(root: string, files: Record<string, string>): Promise<string> {
  for (const [name, content] of Object.entries(files)) {
    await mkdir(join(root, name, '..'), { recursive: true });
    await writeFile(join(root, name), content);
  }
  return root;
}

describe('packContext', () => {
  it('puts one folder at the root and another under a sub-path, in one tar stream', async () => {
    const image = await tree(join(work, 'image'), { Dockerfile: 'FROM scratch\n' });
    const prefix = await tree(join(work, 'prefix'), { 'bin/vpp': '#!vpp', 'lib/x86_64-linux-gnu/libvlib.so.26.06': 'elf' });
    await symlink('libvlib.so.26.06', join(prefix, 'lib/x86_64-linux-gnu/libvlib.so'));

    const out = join(work, 'out');
    await pipeline(packContext([{ from: image, to: '.' }, { from: prefix, to: 'prefix' }]) as unknown as NodeJS.ReadableStream, extract(out));

    expect(await readFile(join(out, 'Dockerfile'), 'utf8')).toBe('FROM scratch\n');
    expect(await readFile(join(out, 'prefix/bin/vpp'), 'utf8')).toBe('#!vpp');
    // Install prefixes are full of versioned-library symlinks; they must stay links.
    expect(await readlink(join(out, 'prefix/lib/x86_64-linux-gnu/libvlib.so'))).toBe('libvlib.so.26.06');
  });

  it('appends single files from elsewhere, following links to their content', async () => {
    const image = await tree(join(work, 'image'), { Dockerfile: 'FROM scratch\n' });
    const lib = await tree(join(work, 'host-lib'), { 'libbpf.so.1.4.6': 'bpf' });
    await symlink('libbpf.so.1.4.6', join(lib, 'libbpf.so.1'));
    const out = join(work, 'out');
    await pipeline(
      packContext([{ from: image, to: '.' }], [{ from: join(lib, 'libbpf.so.1'), to: 'runtime-libs/libbpf.so.1' }]) as unknown as NodeJS.ReadableStream,
      extract(out),
    );
    expect(await readFile(join(out, 'runtime-libs/libbpf.so.1'), 'utf8')).toBe('bpf');
    expect(await readFile(join(out, 'Dockerfile'), 'utf8')).toBe('FROM scratch\n');
  });

  it('refuses an empty list of folders', () => {
    expect(() => packContext([])).toThrow(/at least one directory/);
  });
});

describe('fingerprintTree', () => {
  it('is stable for the same tree and changes when a file changes', async () => {
    const dir = await tree(join(work, 'a'), { Dockerfile: 'FROM x\n', 'etc/startup.conf': 'unix {}\n' });
    const first = await fingerprintTree(dir, { contents: true });
    expect(await fingerprintTree(dir, { contents: true })).toBe(first);
    await writeFile(join(dir, 'etc/startup.conf'), 'unix { nodaemon }\n');
    expect(await fingerprintTree(dir, { contents: true })).not.toBe(first);
  });

  it('notices a rewritten file from its size and mtime alone when contents are not read', async () => {
    const dir = await tree(join(work, 'p'), { 'bin/vpp': 'v1' });
    const first = await fingerprintTree(dir, { contents: false });
    const later = new Date(Date.now() + 5_000);
    await writeFile(join(dir, 'bin/vpp'), 'v2');
    await utimes(join(dir, 'bin/vpp'), later, later);
    expect(await fingerprintTree(dir, { contents: false })).not.toBe(first);
  });

  it('combines parts independent of their order', () => {
    expect(combineFingerprints({ a: '1', b: '2' })).toBe(combineFingerprints({ b: '2', a: '1' }));
    expect(combineFingerprints({ a: '1', b: '2' })).toMatch(/^[0-9a-f]{16}$/);
    expect(combineFingerprints({ a: '1', b: '3' })).not.toBe(combineFingerprints({ a: '1', b: '2' }));
  });
});

describe('.dockerignore', () => {
  it('leaves ignored files out of the context and out of the fingerprint, as docker build does', async () => {
    const { dockerignoreFilter } = await import('../../src/images/dockerignore.js');
    const app = await tree(join(work, 'app'), {
      Dockerfile: 'FROM x\n',
      '.dockerignore': 'build/\n*.log\n!keep.log\n',
      'src/main.c': 'int main(void) { return 0; }\n',
      'build/app.o': 'object',
      'debug.log': 'noise',
      'keep.log': 'kept',
    });
    const ignore = dockerignoreFilter(app);
    const out = join(work, 'out');
    await pipeline(packContext([{ from: app, to: '.', ignore }]) as unknown as NodeJS.ReadableStream, extract(out));
    await expect(readFile(join(out, 'src/main.c'), 'utf8')).resolves.toContain('main');
    await expect(readFile(join(out, 'keep.log'), 'utf8')).resolves.toBe('kept');
    await expect(readFile(join(out, 'Dockerfile'), 'utf8')).resolves.toBe('FROM x\n');
    await expect(readFile(join(out, 'build/app.o'))).rejects.toThrow(/ENOENT/);
    await expect(readFile(join(out, 'debug.log'))).rejects.toThrow(/ENOENT/);

    const before = await fingerprintTree(app, { contents: true, ignore });
    await writeFile(join(app, 'build/app.o'), 'rebuilt object');
    expect(await fingerprintTree(app, { contents: true, ignore })).toBe(before);
    await writeFile(join(app, 'src/main.c'), 'int main(void) { return 1; }\n');
    expect(await fingerprintTree(app, { contents: true, ignore })).not.toBe(before);
  });
});
