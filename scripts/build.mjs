// Bundles the two CLIs with esbuild. Runtime dependencies stay external (npm installs them with the
// package); the version is baked in from package.json so the bins need no file lookups to answer it.
import { build } from 'esbuild';
import { chmod, readFile, rm, writeFile } from 'node:fs/promises';
import { importTs } from './import-ts.mjs';

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
const outdir = new URL('../dist/', import.meta.url).pathname;

await rm(outdir, { recursive: true, force: true });
await build({
  entryPoints: {
    vppkit: 'src/cli/vppkit.ts',
    'create-vpp-app': 'src/cli/create-vpp-app.ts',
  },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  banner: { js: '#!/usr/bin/env node' },
  define: { __VPPKIT_VERSION__: JSON.stringify(pkg.version) },
  sourcemap: 'linked',
  logLevel: 'warning',
});
await Promise.all(['vppkit.js', 'create-vpp-app.js'].map((bin) => chmod(outdir + bin, 0o755)));
// Editors read the lab schema from the installed package (the lab file's yaml-language-server modeline).
// It is assembled from the registered paths, so it is made by running the kit's own code.
const { labSchema } = await importTs('src/lab/lab-schema.ts');
await writeFile(`${outdir}vppkit.schema.json`, `${JSON.stringify(labSchema(), null, 2)}\n`);
