import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PathName } from '../lab/lab-model.js';
import { PATHS } from '../paths/registry.js';
import { packageRoot } from '../util/package-root.js';

/** templates/<folder>/template.json: what the template is, and what to try once it runs. */
export interface TemplateManifest {
  description: string;
  sources: string[];
  /** The app's own smoke check, by path (replaces the path's default in the generated lab file). */
  check?: Partial<Record<PathName, string>>;
  try: { run: string; shows: string }[];
  notes?: Partial<Record<PathName, string>>;
}

export const MANIFEST = 'template.json';

export function templateFor(path: PathName): { dir: string; manifest: TemplateManifest } {
  const dir = join(packageRoot(), 'templates', PATHS[path].template);
  return { dir, manifest: JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')) as TemplateManifest };
}
