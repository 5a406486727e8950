import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PathName } from '../lab/lab-model.js';
import { PATHS } from '../paths/registry.js';
import { packageRoot } from '../util/package-root.js';

/**
 * A step of the README's "See it work". Text may hold {appIp}, {port}, {vppIp} (VPP's address on the
 * app's link), {vppIf} (VPP's interface to the app) and {path}.
 */
export interface TryStep {
  run: string;
  shows: string;
  /** Only in projects of these paths (every path of the template when absent). */
  paths?: PathName[];
  /**
   * Counters this step's output shows higher than the same command's output earlier in the steps: how
   * the README proves the traffic crossed VPP. row: an interface (`show interface`) or a node (`show
   * errors`); a row ending in "…" is a prefix.
   */
  grows?: { row: string; counters: string[] };
}

/** templates/<folder>/template.json: what the template is, and what to try once it runs. */
export interface TemplateManifest {
  description: string;
  sources: string[];
  /** The app's own smoke check, by path (replaces the path's default in the generated lab file). */
  check?: Partial<Record<PathName, string>>;
  /**
   * A second app in the generated lab for these paths: the same build on another path, for the
   * README's traffic to cross VPP (an app linked to VPP by a kernel interface reaches nothing but
   * itself from inside its own container).
   */
  peer?: { paths: PathName[]; path: PathName; comment: string[] };
  /** For the README, by path: how its "See it work" traffic crosses VPP, and where VPP shows it. */
  crosses: { paths: PathName[]; text: string }[];
  try: TryStep[];
  notes?: Partial<Record<PathName, string>>;
}

export const MANIFEST = 'template.json';

export function templateFor(path: PathName): { dir: string; manifest: TemplateManifest } {
  const dir = join(packageRoot(), 'templates', PATHS[path].template);
  return { dir, manifest: JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')) as TemplateManifest };
}
