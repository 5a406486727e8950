import { isMap, isScalar, isSeq, LineCounter, type Document, type Node } from 'yaml';

export type KeyPath = readonly (string | number)[];

/** Turns a key path into the position of its node (or of its key, for unknown keys) in the YAML source. */
export class YamlLocator {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  /** Position of the value at `path`; falls back to the nearest ancestor that exists. */
  valueAt(path: KeyPath): { line: number; column: number } {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = this.doc.getIn(path.slice(0, depth), true) as Node | undefined;
      if (node?.range) return this.position(node.range[0]);
    }
    return { line: 1, column: 1 };
  }

  /** Position of the key `key` inside the map at `parent` (where an unknown key should be reported). */
  keyAt(parent: KeyPath, key: string): { line: number; column: number } {
    const map = parent.length === 0 ? this.doc.contents : this.doc.getIn(parent, true);
    if (isMap(map)) {
      for (const pair of map.items) {
        if (isScalar(pair.key) && String(pair.key.value) === key && pair.key.range) return this.position(pair.key.range[0]);
      }
    }
    return this.valueAt(parent);
  }

  /** Position of an item in a sequence, when the path ends in one. */
  itemAt(path: KeyPath): { line: number; column: number } {
    const node = this.doc.getIn(path, true);
    if ((isMap(node) || isSeq(node) || isScalar(node)) && node.range) return this.position(node.range[0]);
    return this.valueAt(path);
  }

  position(offset: number): { line: number; column: number } {
    const { line, col } = this.lines.linePos(offset);
    return { line, column: col };
  }
}

/** apps[0].memif.id, as users read paths. */
export function formatKeyPath(path: KeyPath): string {
  return path.reduce<string>((text, part) => (typeof part === 'number' ? `${text}[${part}]` : text ? `${text}.${part}` : part), '');
}
