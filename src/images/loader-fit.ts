import { posix } from 'node:path';
import { compareVersions, isElf, newestGlibc, parseVersion, readElf, type ElfFile } from './elf-file.js';

// Can an app image's program load VCL's libraries? Decided from the image's own files (the program,
// its ELF interpreter, its C library) before the app starts: a program the loader cannot give them to
// would otherwise run on the kernel's sockets without a word, or fail at start for a reason far away.

export type ReadFile = (path: string) => Promise<{ path: string; data: Buffer } | undefined>;

export interface LoaderFitInput {
  /** The command the container runs: its entrypoint then its command. */
  argv: readonly string[];
  /** The image's PATH (or the engine's default) and working folder, to find a bare program name. */
  searchPath: string;
  workingDir: string;
  /** VCL's libraries as VPP's container copied them, by file name. */
  libraries: ReadonlyMap<string, Buffer>;
  /** The libraries are preloaded into the program (LD_PRELOAD), rather than linked by it. */
  preloaded: boolean;
  read: ReadFile;
}

export type LoaderFinding = 'not-found' | 'static' | 'musl' | 'old-glibc' | 'machine' | 'no-libc';

export type LoaderFit =
  | { fits: true; program: string; glibc?: string }
  /** Nothing could be said (a program that is neither ELF nor a script): the app starts and readiness tells. */
  | { fits: 'unknown'; program: string; why: string }
  | { fits: false; program: string; finding: LoaderFinding; message: string; fix: string };

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
export const ENGINE_DEFAULT_PATH = DEFAULT_PATH;

const OTHER_PATHS = 'or run it on a path that needs nothing in its image (tap, af_xdp, af_packet)';

/** As the kernel, which follows at most 4 levels of scripts run by scripts. */
const MAX_SCRIPT_DEPTH = 4;

export async function loaderFit(input: LoaderFitInput, depth = 0): Promise<LoaderFit> {
  const [first, ...rest] = input.argv;
  if (!first) return { fits: 'unknown', program: '', why: 'the image has no command' };
  const found = await findProgram(first, input);
  if (!found) {
    return {
      fits: false,
      program: first,
      finding: 'not-found',
      message: `its command ${first} is not in the image${first.includes('/') ? '' : ` (searched PATH=${input.searchPath})`}`,
      fix: 'give the app a `command:` that exists in its image, or install the program in the image',
    };
  }
  const script = scriptInterpreter(found.data);
  if (script) {
    if (depth >= MAX_SCRIPT_DEPTH) return { fits: 'unknown', program: found.path, why: 'scripts run by scripts, more than the kernel follows' };
    // #!/usr/bin/env python3 (or env -S "python3 -u"): the program is python3, found on PATH.
    const [interpreter, ...words] = script;
    const viaEnv = posix.basename(interpreter) === 'env' && words.length > 0;
    const program = viaEnv ? words.find((word) => !word.startsWith('-')) : undefined;
    const fit = await loaderFit({ ...input, argv: viaEnv && program ? [program, ...rest] : [interpreter, found.path] }, depth + 1);
    return { ...fit, program: `${found.path} (a script run by ${fit.program || interpreter})` };
  }
  if (!isElf(found.data)) return { fits: 'unknown', program: found.path, why: 'neither an ELF program nor a script' };

  let program: ElfFile;
  try {
    program = readElf(found.data);
  } catch (error) {
    return { fits: 'unknown', program: found.path, why: `its ELF headers could not be read (${(error as Error).message})` };
  }
  // VPP's own first, so a requirement they share with a distribution library is named after VPP's.
  const libraries = [...input.libraries]
    .sort(([a], [b]) => vppFirst(a) - vppFirst(b) || a.localeCompare(b))
    .flatMap(([name, data]) => {
      try {
        return isElf(data) ? [{ name, elf: readElf(data) }] : [];
      } catch {
        return [];
      }
    });
  const libraryMachine = libraries[0]?.elf.machine;
  if (libraryMachine && program.machine !== libraryMachine) {
    return {
      fits: false,
      program: found.path,
      finding: 'machine',
      message: `${found.path} is an ${program.machine} program and VCL's libraries from the lab's VPP are ${libraryMachine}`,
      fix: `use an image built for ${libraryMachine}, as the lab's VPP is`,
    };
  }
  if (!program.interpreter) {
    if (!input.preloaded) return { fits: true, program: found.path };
    // A static init or user switcher (tini, dumb-init, gosu) keeps LD_PRELOAD for the program it
    // execs: the first later word that is a program of the image is judged instead.
    if (depth < MAX_SCRIPT_DEPTH) {
      for (const [index, word] of rest.entries()) {
        if (word.startsWith('-') || !(await findProgram(word, input))) continue;
        const fit = await loaderFit({ ...input, argv: rest.slice(index) }, depth + 1);
        return { ...fit, program: `${fit.program} (started by ${found.path}, statically linked)` };
      }
    }
    return {
      fits: false,
      program: found.path,
      finding: 'static',
      message: `${found.path} is statically linked: no dynamic loader runs for it, so LD_PRELOAD cannot put libvcl_ldpreload.so into it and its sockets would stay on the kernel`,
      fix: `use a dynamically linked build of the program, ${OTHER_PATHS}`,
    };
  }
  if (/ld-musl/.test(program.interpreter)) {
    return {
      fits: false,
      program: found.path,
      finding: 'musl',
      message: `${found.path} is linked against musl (its loader is ${program.interpreter}, as in Alpine images); VCL's libraries are built against glibc and a musl program cannot load them`,
      fix: `use a glibc-based image for this app (Debian, Ubuntu, Fedora, a distroless "base" image), ${OTHER_PATHS}`,
    };
  }
  const needed = neededGlibc(libraries);
  const libc = await findLibc(program, input.read);
  if (!libc) {
    return {
      fits: false,
      program: found.path,
      finding: 'no-libc',
      message: `${found.path} names the loader ${program.interpreter}, but the image has no glibc libc.so.6 beside it`,
      fix: `use an image whose C library is glibc ${needed?.version ?? ''}`.trimEnd() + ` or newer, ${OTHER_PATHS}`,
    };
  }
  // A release without new symbols defines no version node of its own (2.31's newest is GLIBC_2.30): its banner says which it is.
  const has = /release version (\d+\.\d+)/.exec(libc.data.toString('latin1'))?.[1] ?? newestGlibc(libc.elf.versionDefs);
  if (needed && has && compareVersions(parseVersion(has), parseVersion(needed.version)) < 0) {
    return {
      fits: false,
      program: found.path,
      finding: 'old-glibc',
      message: `the image's glibc is ${has} (${libc.path}) and VCL's libraries from the lab's VPP need glibc ${needed.version} (${needed.library} asks for GLIBC_${needed.version}): the loader would refuse them`,
      fix: `use an image with glibc ${needed.version} or newer (Debian 12, Ubuntu 22.04 or newer), or a VPP built on a distribution as old as the image's, ${OTHER_PATHS}`,
    };
  }
  return { fits: true, program: found.path, ...(has && { glibc: has }) };
}

async function findProgram(name: string, input: LoaderFitInput): Promise<{ path: string; data: Buffer } | undefined> {
  if (name.includes('/')) return input.read(posix.resolve(input.workingDir || '/', name));
  for (const dir of input.searchPath.split(':').filter(Boolean)) {
    const found = await input.read(posix.join(dir, name));
    if (found) return found;
  }
  return undefined;
}

/** `#!/bin/sh -e` -> ['/bin/sh', '-e']. */
function scriptInterpreter(data: Buffer): [string, ...string[]] | undefined {
  if (data[0] !== 0x23 || data[1] !== 0x21) return undefined;
  const end = data.indexOf(0x0a);
  const [interpreter, ...words] = data
    .subarray(2, end === -1 ? Math.min(data.length, 256) : end)
    .toString('latin1')
    .trim()
    .split(/\s+/);
  return interpreter ? [interpreter, ...words] : undefined;
}

/** The newest GLIBC_x.y any of the libraries asks of the C library or its loader, and which asks it. */
function neededGlibc(libraries: readonly { name: string; elf: ElfFile }[]): { version: string; library: string } | undefined {
  let newest: { version: string; library: string } | undefined;
  for (const { name, elf } of libraries) {
    const version = newestGlibc(Object.values(elf.versionNeeds).flat());
    if (version && (!newest || compareVersions(parseVersion(version), parseVersion(newest.version)) > 0)) {
      newest = { version, library: name };
    }
  }
  return newest;
}

const vppFirst = (name: string): number => (name.startsWith('libvcl') ? 0 : /^lib(vpp|vlib|svm)/.test(name) ? 1 : 2);

const TRIPLETS: Record<string, string> = { 'x86-64': 'x86_64-linux-gnu', aarch64: 'aarch64-linux-gnu', i386: 'i386-linux-gnu', arm: 'arm-linux-gnueabihf' };

/** glibc's libc.so.6 where distributions put it: beside the loader, in the multiarch folder, lib64. */
async function findLibc(program: ElfFile, read: ReadFile): Promise<{ path: string; data: Buffer; elf: ElfFile } | undefined> {
  const triplet = TRIPLETS[program.machine];
  const candidates = [
    posix.join(posix.dirname(program.interpreter ?? '/lib'), 'libc.so.6'),
    ...(triplet ? [`/lib/${triplet}/libc.so.6`, `/usr/lib/${triplet}/libc.so.6`] : []),
    '/lib64/libc.so.6',
    '/usr/lib64/libc.so.6',
    '/lib/libc.so.6',
    '/usr/lib/libc.so.6',
  ];
  for (const path of [...new Set(candidates)]) {
    const found = await read(path);
    if (!found || !isElf(found.data)) continue;
    try {
      return { path: found.path, data: found.data, elf: readElf(found.data) };
    } catch {
      continue;
    }
  }
  return undefined;
}
