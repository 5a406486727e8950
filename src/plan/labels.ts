/**
 * Every resource the kit creates carries these labels, so finding and removing a lab's resources is a
 * query by label, never a guess by name.
 */
export const LABEL = {
  /** Present on everything vppkit made; `down --all` removes exactly what carries it. */
  managed: 'io.vppkit.managed',
  /** The lab (vppkit.yaml `name`) a resource belongs to. */
  lab: 'io.vppkit.lab',
  /** The node (vpp, or an app's name) a container belongs to. */
  node: 'io.vppkit.node',
  /** Hash of the inputs a resource was made from; a change means recreate. */
  configHash: 'io.vppkit.config-hash',
  /** The kit version that made the resource. */
  version: 'io.vppkit.version',
} as const;

export type Labels = Record<string, string>;

/** Docker's filter syntax for "carries all of these labels". */
export function labelFilter(labels: Labels): { label: string[] } {
  return { label: Object.entries(labels).map(([key, value]) => `${key}=${value}`) };
}
