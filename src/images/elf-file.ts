// What the dynamic loader will make of a program or library, read from its ELF headers: whether it is
// dynamically linked and by which loader (glibc's or musl's), its architecture, and the symbol
// versions it needs and defines (GLIBC_2.34, ...). Only what deciding "can this program load VCL's
// libraries" takes: npm has no maintained ELF reader, and these few tables are fixed by the gABI.

export interface ElfFile {
  /** e_machine's name where known (x86-64, aarch64, ...), else its number. */
  machine: string;
  /** PT_INTERP: the loader a dynamically linked program names; absent for static programs and libraries. */
  interpreter?: string;
  /** Has a dynamic section (a dynamically linked program or a shared library). */
  dynamic: boolean;
  needed: string[];
  /** Versions it needs, per library (vn_file): libc.so.6 -> [GLIBC_2.2.5, GLIBC_2.34]. */
  versionNeeds: Record<string, string[]>;
  /** Versions it defines (a C library defines GLIBC_2.x up to its own release). */
  versionDefs: string[];
}

const MACHINES: Record<number, string> = { 3: 'i386', 40: 'arm', 62: 'x86-64', 183: 'aarch64', 243: 'riscv64', 21: 'ppc64', 22: 's390x' };

const PT_LOAD = 1;
const PT_DYNAMIC = 2;
const PT_INTERP = 3;
const DT_NEEDED = 1;
const DT_STRTAB = 5;
const DT_VERDEF = 0x6ffffffc;
const DT_VERDEFNUM = 0x6ffffffd;
const DT_VERNEED = 0x6ffffffe;
const DT_VERNEEDNUM = 0x6fffffff;

export function isElf(data: Uint8Array): boolean {
  return data.length >= 52 && data[0] === 0x7f && data[1] === 0x45 && data[2] === 0x4c && data[3] === 0x46;
}

/** Parses an ELF file's headers; throws on a file that is not one or is cut short. Little-endian only. */
export function readElf(data: Uint8Array): ElfFile {
  if (!isElf(data)) throw new Error('not an ELF file');
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const is64 = data[4] === 2;
  if (data[5] !== 1) throw new Error('big-endian ELF files are not read');
  const word = (offset: number): number => (is64 ? Number(view.getBigUint64(offset, true)) : view.getUint32(offset, true));
  const machineNumber = view.getUint16(18, true);
  const phoff = word(is64 ? 32 : 28);
  const phentsize = view.getUint16(is64 ? 54 : 42, true);
  const phnum = view.getUint16(is64 ? 56 : 44, true);

  const segments = Array.from({ length: phnum }, (_, index) => {
    const at = phoff + index * phentsize;
    return is64
      ? { type: view.getUint32(at, true), offset: word(at + 8), vaddr: word(at + 16), filesz: word(at + 32) }
      : { type: view.getUint32(at, true), offset: word(at + 4), vaddr: word(at + 8), filesz: word(at + 16) };
  });
  const fileOffset = (address: number): number => {
    const load = segments.find((segment) => segment.type === PT_LOAD && address >= segment.vaddr && address < segment.vaddr + segment.filesz);
    if (!load) throw new Error(`address 0x${address.toString(16)} is in no loaded segment`);
    return address - load.vaddr + load.offset;
  };
  const cString = (offset: number): string => {
    const end = data.indexOf(0, offset);
    return Buffer.from(data.subarray(offset, end === -1 ? data.length : end)).toString('latin1');
  };

  const interp = segments.find((segment) => segment.type === PT_INTERP);
  const dynamicSegment = segments.find((segment) => segment.type === PT_DYNAMIC);
  const elf: ElfFile = {
    machine: MACHINES[machineNumber] ?? `machine ${machineNumber}`,
    ...(interp && { interpreter: cString(interp.offset) }),
    dynamic: Boolean(dynamicSegment),
    needed: [],
    versionNeeds: {},
    versionDefs: [],
  };
  if (!dynamicSegment) return elf;

  const entrySize = is64 ? 16 : 8;
  const entries: [number, number][] = [];
  for (let at = dynamicSegment.offset; at + entrySize <= dynamicSegment.offset + dynamicSegment.filesz; at += entrySize) {
    const tag = is64 ? Number(view.getBigInt64(at, true)) : view.getInt32(at, true);
    if (tag === 0) break;
    entries.push([tag, word(at + entrySize / 2)]);
  }
  const value = (tag: number): number | undefined => entries.find(([t]) => t === tag)?.[1];
  const strtabAddress = value(DT_STRTAB);
  if (strtabAddress === undefined) return elf;
  const strtab = fileOffset(strtabAddress);
  const name = (offset: number): string => cString(strtab + offset);

  elf.needed = entries.filter(([tag]) => tag === DT_NEEDED).map(([, offset]) => name(offset));

  const verneed = value(DT_VERNEED);
  let at = verneed === undefined ? undefined : fileOffset(verneed);
  for (let count = value(DT_VERNEEDNUM) ?? 0; at !== undefined && count > 0; count--) {
    const file = name(view.getUint32(at + 4, true));
    const versions = (elf.versionNeeds[file] ??= []);
    let aux = at + view.getUint32(at + 8, true);
    for (let auxCount = view.getUint16(at + 2, true); auxCount > 0; auxCount--) {
      versions.push(name(view.getUint32(aux + 8, true)));
      aux += view.getUint32(aux + 12, true);
    }
    const next = view.getUint32(at + 12, true);
    at = next ? at + next : undefined;
  }

  const verdef = value(DT_VERDEF);
  at = verdef === undefined ? undefined : fileOffset(verdef);
  for (let count = value(DT_VERDEFNUM) ?? 0; at !== undefined && count > 0; count--) {
    const aux = at + view.getUint32(at + 12, true);
    elf.versionDefs.push(name(view.getUint32(aux, true)));
    const next = view.getUint32(at + 16, true);
    at = next ? at + next : undefined;
  }
  return elf;
}

/** "2.34" -> [2, 34]. */
export const parseVersion = (text: string): number[] => text.split('.').map(Number);

/** GLIBC_2.34 -> [2, 34]; undefined for other version names (GLIBC_PRIVATE, GCC_3.0, ...). */
function glibcVersion(name: string): number[] | undefined {
  const match = /^GLIBC_(\d+(?:\.\d+)+)$/.exec(name);
  return match ? parseVersion(match[1]!) : undefined;
}

export function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let index = 0; index < Math.max(a.length, b.length); index++) {
    const difference = (a[index] ?? 0) - (b[index] ?? 0);
    if (difference) return difference;
  }
  return 0;
}

/** The newest GLIBC_x.y among names, as text ("2.34"), or undefined. */
export function newestGlibc(names: readonly string[]): string | undefined {
  const versions = names.map(glibcVersion).filter((version): version is number[] => Boolean(version));
  if (!versions.length) return undefined;
  return versions.sort(compareVersions).at(-1)!.join('.');
}
