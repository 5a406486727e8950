import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EditedFilesError, MANIFEST_PATH, writeGeneratedFiles } from '../../src/export/generated-files.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'vppkit-generated-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const file = (path: string, content: string, mode = 0o644) => ({ path, content, mode });
const read = (path: string): string => readFileSync(join(root, path), 'utf8');

describe('writing generated files', () => {
  it('writes new files with their modes and records them; an identical export changes nothing', () => {
    const first = writeGeneratedFiles(root, [file('compose.yaml', 'a\n'), file('.vppkit/files/vpp/etc/vpp/entry.sh', '#!/bin/sh\n', 0o755)]);
    expect(first.written).toEqual(['compose.yaml', '.vppkit/files/vpp/etc/vpp/entry.sh']);
    expect(statSync(join(root, '.vppkit/files/vpp/etc/vpp/entry.sh')).mode & 0o777).toBe(0o755);
    expect(Object.keys(JSON.parse(read(MANIFEST_PATH)).files)).toEqual(['.vppkit/files/vpp/etc/vpp/entry.sh', 'compose.yaml']);
    const again = writeGeneratedFiles(root, [file('compose.yaml', 'a\n'), file('.vppkit/files/vpp/etc/vpp/entry.sh', '#!/bin/sh\n', 0o755)]);
    expect(again).toMatchObject({ written: [], unchanged: ['compose.yaml', '.vppkit/files/vpp/etc/vpp/entry.sh'] });
  });

  it('replaces a file it wrote that nobody edited', () => {
    writeGeneratedFiles(root, [file('compose.yaml', 'a\n')]);
    expect(writeGeneratedFiles(root, [file('compose.yaml', 'b\n')]).written).toEqual(['compose.yaml']);
    expect(read('compose.yaml')).toBe('b\n');
  });

  it('refuses to replace an edited file, or one it never wrote, and names them and the fix', () => {
    writeGeneratedFiles(root, [file('compose.yaml', 'a\n')]);
    writeFileSync(join(root, 'compose.yaml'), 'a\n# my tweak\n');
    writeFileSync(join(root, 'mine.yaml'), 'my own\n');
    const attempt = () => writeGeneratedFiles(root, [file('compose.yaml', 'b\n'), file('mine.yaml', 'generated\n')]);
    expect(attempt).toThrow(EditedFilesError);
    expect(attempt).toThrow(/^compose\.yaml, mine\.yaml were edited since vppkit generated them: .*--force \(each edited file is kept as <file>\.bak\)$/);
    expect(read('compose.yaml')).toBe('a\n# my tweak\n');
    expect(read('mine.yaml')).toBe('my own\n');
  });

  it('with --force, keeps each edited file as .bak (never over an earlier .bak) before writing', () => {
    writeFileSync(join(root, 'compose.yaml'), 'mine 1\n');
    writeFileSync(join(root, 'compose.yaml.bak'), 'older backup\n');
    const result = writeGeneratedFiles(root, [file('compose.yaml', 'generated\n')], { force: true });
    expect(result.movedAside).toEqual([['compose.yaml', join(root, 'compose.yaml.bak.1')]]);
    expect(read('compose.yaml')).toBe('generated\n');
    expect(read('compose.yaml.bak')).toBe('older backup\n');
    expect(read('compose.yaml.bak.1')).toBe('mine 1\n');
  });

  it('removes files an earlier export made that this one no longer makes, unless edited or owned by another export', () => {
    const isCompose = (path: string) => !path.startsWith('.devcontainer/');
    writeGeneratedFiles(root, [file('compose.yaml', 'a\n'), file('.vppkit/files/app/etc/vpp/vcl.conf', 'v\n'), file('.vppkit/files/app/x', 'x\n')], { owns: isCompose });
    writeGeneratedFiles(root, [file('.devcontainer/devcontainer.json', '{}\n')], { owns: (path) => path.startsWith('.devcontainer/') });
    writeFileSync(join(root, '.vppkit/files/app/x'), 'edited\n');
    const result = writeGeneratedFiles(root, [file('compose.yaml', 'a\n')], { owns: isCompose });
    expect(result.removed).toEqual(['.vppkit/files/app/etc/vpp/vcl.conf']);
    expect(existsSync(join(root, '.vppkit/files/app/etc/vpp/vcl.conf'))).toBe(false);
    expect(read('.vppkit/files/app/x')).toBe('edited\n');
    expect(read('.devcontainer/devcontainer.json')).toBe('{}\n');
    expect(Object.keys(JSON.parse(read(MANIFEST_PATH)).files).sort()).toEqual(['.devcontainer/devcontainer.json', '.vppkit/files/app/x', 'compose.yaml']);
  });
});
