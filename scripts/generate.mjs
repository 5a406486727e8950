// Rewrites what is made from the path modules: the README's table of paths and the lab file's
// validator (Ajv's standalone code, so no command compiles the schema at start). The lab schema
// itself is written by the build; the Dev Container Template by
// `npx vitest run -u test/unit/devcontainer-template.test.ts`. A unit test fails while a checked-in
// copy is stale.
import { readFile, writeFile } from 'node:fs/promises';
import { importTs } from './import-ts.mjs';
import { LAB_VALIDATOR_FILE, renderLabValidator } from './lab-validator.mjs';

async function rewrite(file, render, what) {
  const before = await readFile(file, 'utf8').catch(() => '');
  const after = render(before);
  if (after !== before) await writeFile(file, after);
  console.log(`${file.pathname.replace(/.*\/(src|README)/, '$1')}: ${after === before ? 'up to date' : `${what} rewritten`}`);
}

const { renderPathTable, withPathTable } = await importTs('src/paths/path-table.ts');
const { labSchema } = await importTs('src/lab/lab-schema.ts');
await rewrite(new URL('../README.md', import.meta.url), (readme) => withPathTable(readme, renderPathTable()), 'table of paths');
await rewrite(LAB_VALIDATOR_FILE, () => renderLabValidator(labSchema()), 'validator');
