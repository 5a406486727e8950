import type { PrunedLabInput } from './lab-input.js';
import type { KeyPath } from './yaml-locator.js';

/**
 * Takes the values at `rejected` out of the data, in place. A rejected item of a list takes the list with it (the
 * checks read lists whole), except an app, which leaves a hole: the others keep their index, which
 * their positions and defaults (memif ids) come from. `prunedApps`: the apps that lost a value.
 */
export function pruneRejected(data: Record<string, unknown>, rejected: readonly KeyPath[]): { input: PrunedLabInput; prunedApps: ReadonlySet<number> } {
  const prunedApps = new Set<number>();
  for (const path of rejected.map(wholeValue)) {
    if (path[0] === 'apps' && typeof path[1] === 'number') prunedApps.add(path[1]);
    if (path.length === 0) continue;
    const parent = path.slice(0, -1).reduce<unknown>((node, part) => (node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>)[part] : undefined), data);
    const last = path.at(-1)!;
    if (Array.isArray(parent) && typeof last === 'number') parent[last] = undefined;
    else if (parent !== null && typeof parent === 'object') delete (parent as Record<string, unknown>)[last];
  }
  return { input: data as PrunedLabInput, prunedApps };
}

function wholeValue(path: KeyPath): KeyPath {
  const list = path.findIndex((part, index) => typeof part === 'number' && !(index === 1 && path[0] === 'apps'));
  return list === -1 ? path : path.slice(0, list);
}
