// Runs a module of the kit's TypeScript from a build script: bundles it with esbuild into a folder
// inside the repository (so its external packages resolve from node_modules), imports it, removes it.
import { build } from 'esbuild';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

export async function importTs(entry) {
  const dir = await mkdtemp(join(root, '.generate-'));
  try {
    const outfile = join(dir, 'module.mjs');
    await build({ entryPoints: [join(root, entry)], outfile, bundle: true, format: 'esm', platform: 'node', target: 'node20', packages: 'external', logLevel: 'warning' });
    return await import(outfile);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
