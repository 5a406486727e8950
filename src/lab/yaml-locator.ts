import { isMap, isNode, isScalar, isSeq, type Document, type LineCounter, type Pair, type YAMLMap } from 'yaml';

export type KeyPath = readonly (string | number)[];

/** Turns a key path into the position of its node (or of its key, for unknown keys) in the YAML source. */
export class YamlLocator {
  /** Each map's pairs by key, made once: a report per key of a long map would otherwise scan it each time. */
  private readonly indexes = new WeakMap<YAMLMap, Map<string, Pair>>();

  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  /** Position of the value at `path`; falls back to the nearest ancestor that exists (an alias stands for what it names). */
  valueAt(path: KeyPath): { line: number; column: number } {
    let node: unknown = this.doc.contents;
    let offset = isNode(node) && node.range ? node.range[0] : 0;
    for (const part of path) {
      node = this.child(node, part);
      if (!isNode(node) || !node.range) break;
      offset = node.range[0];
    }
    return this.position(offset);
  }

  /** Position of the key `key` inside the map at `parent` (where an unknown key should be reported). */
  keyAt(parent: KeyPath, key: string): { line: number; column: number } {
    const map = parent.reduce<unknown>((node, part) => this.child(node, part), this.doc.contents);
    const found = isMap(map) ? this.index(map).get(key)?.key : undefined;
    return isNode(found) && found.range ? this.position(found.range[0]) : this.valueAt(parent);
  }

  position(offset: number): { line: number; column: number } {
    const { line, col } = this.lines.linePos(offset);
    return { line, column: col };
  }

  private child(node: unknown, part: string | number): unknown {
    if (isSeq(node)) return typeof part === 'number' ? node.items[part] : undefined;
    if (isMap(node)) return this.index(node).get(String(part))?.value;
    return undefined;
  }

  /** Keys as the data has them (1 and "1" are one key there); the first of a repeated key, which the loader refuses anyway. */
  private index(map: YAMLMap): Map<string, Pair> {
    let index = this.indexes.get(map);
    if (!index) {
      index = new Map();
      for (const pair of map.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
        if (key !== undefined && !index.has(key)) index.set(key, pair as Pair);
      }
      this.indexes.set(map, index);
    }
    return index;
  }
}

/** apps[0].memif.id, as users read paths; a key longer than any the lab has is cut short. */
export function formatKeyPath(path: KeyPath): string {
  const short = (key: string): string => (key.length > MAX_SHOWN_KEY ? `${key.slice(0, MAX_SHOWN_KEY)}...` : key);
  return path.reduce<string>((text, part) => (typeof part === 'number' ? `${text}[${part}]` : text ? `${text}.${short(part)}` : short(part)), '');
}

const MAX_SHOWN_KEY = 40;
