import { execFile } from 'node:child_process';
import { lstat, open, readdir } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * The C library and the loader come from the base image; copying the build host's would break every
 * other program in the image. Everything else a prefix links is taken from the host it was built on.
 */
const FROM_BASE_IMAGE = /^(ld-linux[\w.-]*|linux-vdso|libc|libm|libdl|libpthread|librt|libresolv|libutil|libanl|libnsl|libgcc_s|libstdc\+\+)\.so/;

/**
 * Data files some libraries load at run time, which ldd cannot see: libxdp loads its default XDP
 * program (xsk_def_xdp_prog*.o) from <libdir>/bpf, or from LIBXDP_OBJECT_PATH, which the prefix
 * image points at the copies.
 */
const COMPANIONS: readonly { soname: RegExp; dir: string; files: RegExp }[] = [{ soname: /^libxdp\.so/, dir: 'bpf', files: /\.o$/ }];

export interface RuntimeLibraries {
  /** soname to the file on this host that provides it. */
  libraries: Map<string, string>;
  /** Companion data files: path relative to the runtime-libs folder, to the file on this host. */
  companions: Map<string, string>;
  /** sonames some file in the prefix needs and this host cannot resolve. */
  missing: Map<string, string[]>;
}

/**
 * The shared libraries a VPP install prefix needs beyond itself and the C library, resolved the way
 * the host that built it resolves them (ldd). The prefix image carries exactly these, so it runs
 * whatever the base image's package names are, e.g. an af_xdp plugin built against a newer libbpf.
 */
export async function prefixRuntimeLibraries(prefix: string): Promise<RuntimeLibraries> {
  const libraries = new Map<string, string>();
  const missing = new Map<string, string[]>();
  for (const file of await elfFiles(prefix)) {
    let output: string;
    try {
      ({ stdout: output } = await run('ldd', [file], { maxBuffer: 1 << 20 }));
    } catch {
      continue; // Not dynamically linked, or not for this machine: nothing to carry.
    }
    for (const line of output.split('\n')) {
      const match = /^\s*(\S+) => (not found|(\S+) \(0x[0-9a-f]+\))/.exec(line);
      if (!match) continue;
      const soname = match[1]!;
      if (FROM_BASE_IMAGE.test(soname)) continue;
      const resolved = match[3];
      if (!resolved) {
        missing.set(soname, [...(missing.get(soname) ?? []), relative(prefix, file)]);
      } else if (!resolved.startsWith(prefix + '/')) {
        libraries.set(soname, resolved);
      }
    }
  }
  return { libraries, missing, companions: await companionFiles(libraries) };
}

async function companionFiles(libraries: ReadonlyMap<string, string>): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const [soname, file] of libraries) {
    for (const companion of COMPANIONS.filter((entry) => entry.soname.test(soname))) {
      const dir = join(dirname(file), companion.dir);
      const names = await readdir(dir).catch(() => [] as string[]);
      for (const name of names.filter((entry) => companion.files.test(entry))) found.set(`${companion.dir}/${name}`, join(dir, name));
    }
  }
  return found;
}

async function elfFiles(prefix: string): Promise<string[]> {
  const found: string[] = [];
  for (const top of ['bin', 'lib', 'lib64']) {
    let names: string[];
    try {
      names = await readdir(join(prefix, top), { recursive: true });
    } catch {
      continue;
    }
    for (const name of names) {
      const path = join(prefix, top, name);
      // Versioned-library symlinks point at files this walk reaches anyway.
      if ((await lstat(path)).isFile() && (await isElf(path))) found.push(path);
    }
  }
  return found.sort();
}

async function isElf(path: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, 'r');
    const { bytesRead, buffer } = await handle.read(Buffer.alloc(4), 0, 4, 0);
    return bytesRead === 4 && buffer.toString('latin1') === '\x7fELF';
  } catch {
    return false;
  } finally {
    await handle?.close();
  }
}
