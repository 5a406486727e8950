// Rewrites what is made from the path modules: the README's table of paths (the lab schema is made by
// the build, the Dev Container Template by `npx vitest run -u test/unit/devcontainer-template.test.ts`).
// A unit test fails while a checked-in copy is stale.
import { readFile, writeFile } from 'node:fs/promises';
import { importTs } from './import-ts.mjs';

const readme = new URL('../README.md', import.meta.url);
const { renderPathTable, withPathTable } = await importTs('src/paths/path-table.ts');
const before = await readFile(readme, 'utf8');
const after = withPathTable(before, renderPathTable());
if (after !== before) await writeFile(readme, after);
console.log(`README.md: ${after === before ? 'up to date' : 'table of paths rewritten'}`);
