import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/** The repository's two packages: vppkit carries images/, create-vpp-app templates/ (so does the repository). */
const KIT_PACKAGES = new Set(['vppkit', 'create-vpp-app']);

/**
 * The installed package's root, where images/ and templates/ live. Found by walking up, because the
 * bundled bins (dist/) and the sources under test (src/util/) sit at different depths.
 */
export function packageRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && KIT_PACKAGES.has((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name ?? '')) {
      cached = dir;
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`vppkit: cannot find the package root above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}
