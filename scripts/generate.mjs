// Rewrites what is made from the path modules: the README's table of paths (the lab schema is made by
// the build, the Dev Container Template by `npx vitest run -u test/unit/devcontainer-template.test.ts`).
// A unit test fails while a checked-in copy is stale.
import { build } from 'esbuild';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
// Inside the repository, so the bundle's external packages resolve from node_modules.
const dir = await mkdtemp(join(root, '.generate-'));
try {
  const module = join(dir, 'path-table.mjs');
  await build({ entryPoints: [join(root, 'src/paths/path-table.ts')], outfile: module, bundle: true, format: 'esm', platform: 'node', target: 'node20', packages: 'external', logLevel: 'warning' });
  const { renderPathTable, withPathTable } = await import(module);
  const readme = join(root, 'README.md');
  const before = await readFile(readme, 'utf8');
  const after = withPathTable(before, renderPathTable());
  if (after !== before) await writeFile(readme, after);
  console.log(`README.md: ${after === before ? 'up to date' : 'table of paths rewritten'}`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
