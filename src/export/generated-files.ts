import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, posix } from 'node:path';

export interface GeneratedFile {
  /** Relative to the project, with '/'. */
  path: string;
  content: string;
  mode: number;
}

/**
 * What vppkit last wrote, with each file's hash: a file that still has its hash is vppkit's to
 * replace; one that differs was edited by someone, and is not replaced without being asked.
 */
export const MANIFEST_PATH = '.vppkit/generated.json';

interface Manifest {
  comment: string;
  files: Record<string, string>;
}

const sha256 = (content: string | Buffer): string => createHash('sha256').update(content).digest('hex');

/** The manifest for a set of files, as written with them. */
export function manifestFor(files: readonly GeneratedFile[], previous: Record<string, string> = {}): GeneratedFile {
  const manifest: Manifest = {
    comment: 'Written by vppkit export: the files it generated and their hashes. An edited file is not replaced without --force.',
    files: Object.fromEntries(
      Object.entries({ ...previous, ...Object.fromEntries(files.map((file) => [file.path, sha256(file.content)])) }).sort(([a], [b]) => a.localeCompare(b)),
    ),
  };
  return { path: MANIFEST_PATH, content: `${JSON.stringify(manifest, null, 2)}\n`, mode: 0o644 };
}

export interface WriteResult {
  written: string[];
  unchanged: string[];
  removed: string[];
  /** Edited files moved aside with --force, as [file, where it went]. */
  movedAside: [string, string][];
}

export class EditedFilesError extends Error {
  constructor(readonly files: string[]) {
    super(
      `${files.join(', ')} ${files.length === 1 ? 'was' : 'were'} edited since vppkit generated ${files.length === 1 ? 'it' : 'them'}: ` +
        'move your changes into vppkit.yaml and remove the file, or add --force (each edited file is kept as <file>.bak)',
    );
  }
}

/**
 * Writes generated files into a project. A file is replaced only when it is absent, unchanged since
 * vppkit wrote it, or --force (then the edited one is kept as .bak). Files an earlier export wrote
 * that this one no longer makes are removed, unless they were edited.
 */
export function writeGeneratedFiles(
  root: string,
  files: readonly GeneratedFile[],
  options: { force?: boolean; owns?: (path: string) => boolean } = {},
): WriteResult {
  const previous = readManifest(root);
  const owns = options.owns ?? (() => true);
  const onDisk = (path: string): Buffer | undefined => {
    const full = join(root, path);
    return existsSync(full) ? readFileSync(full) : undefined;
  };
  const ours = (path: string, current: Buffer | undefined): boolean =>
    current === undefined || (previous[path] !== undefined && previous[path] === sha256(current));
  const result: WriteResult = { written: [], unchanged: [], removed: [], movedAside: [] };
  const wanted = new Set(files.map((file) => file.path));
  const stale = Object.keys(previous).filter((path) => owns(path) && !wanted.has(path));

  // Each file is read once: what is there decides unchanged, ours to replace, or edited.
  const current = new Map(files.map((file) => [file.path, onDisk(file.path)]));
  const same = (file: GeneratedFile): boolean => current.get(file.path)?.equals(Buffer.from(file.content)) ?? false;
  const edited = files.filter((file) => current.get(file.path) !== undefined && !same(file) && !ours(file.path, current.get(file.path)));
  if (edited.length && !options.force) throw new EditedFilesError(edited.map((file) => file.path));

  for (const file of edited) {
    const aside = freeName(join(root, `${file.path}.bak`));
    renameSync(join(root, file.path), aside);
    result.movedAside.push([file.path, aside]);
  }
  for (const file of files) {
    if (same(file)) {
      result.unchanged.push(file.path);
      continue;
    }
    const full = join(root, file.path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, file.content, { mode: file.mode });
    result.written.push(file.path);
  }
  const kept: Record<string, string> = {};
  for (const path of stale) {
    if (ours(path, onDisk(path))) {
      rmSync(join(root, path), { force: true });
      result.removed.push(path);
    } else kept[path] = previous[path]!;
  }
  const untouched = Object.fromEntries(Object.entries(previous).filter(([path]) => !owns(path)));
  const manifest = manifestFor(files, { ...untouched, ...kept });
  mkdirSync(dirname(join(root, MANIFEST_PATH)), { recursive: true });
  writeFileSync(join(root, MANIFEST_PATH), manifest.content);
  return result;
}

/** Which of these files differ from what is on disk (or are missing): what an export would change. */
export function outOfDate(root: string, files: readonly GeneratedFile[]): string[] {
  return files.filter((file) => !existsSync(join(root, file.path)) || readFileSync(join(root, file.path), 'utf8') !== file.content).map((file) => file.path);
}

/** Whether an earlier export wrote this file. */
export function wasGenerated(root: string, path: string): boolean {
  return readManifest(root)[path] !== undefined;
}

function readManifest(root: string): Record<string, string> {
  const file = join(root, MANIFEST_PATH);
  if (!existsSync(file)) return {};
  try {
    const files = (JSON.parse(readFileSync(file, 'utf8')) as Manifest).files ?? {};
    // The manifest is committed with the project: it may only ever name files inside it.
    return Object.fromEntries(Object.entries(files).filter(([path]) => insideProject(path)));
  } catch {
    // An unreadable manifest proves nothing was ours: every differing file counts as edited.
    return {};
  }
}

function insideProject(path: string): boolean {
  const normal = posix.normalize(path);
  return !isAbsolute(path) && !posix.isAbsolute(normal) && normal !== '..' && !normal.startsWith('../') && !path.includes('\\');
}

function freeName(path: string): string {
  if (!existsSync(path)) return path;
  for (let n = 1; ; n++) if (!existsSync(`${path}.${n}`)) return `${path}.${n}`;
}
