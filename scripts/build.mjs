// Builds the repository's two packages with esbuild:
// - vppkit (dist/): the orchestrator. Its dependencies stay external (npm installs them with it);
//   commands load the engine's modules (dockerode and all) only when they run.
// - create-vpp-app (packages/create-vpp-app/): the scaffolder, one minified bundle with everything it
//   uses inside (no dependencies to install, no native builds), and a copy of templates/.
// Both bake in the version from package.json, so the bins answer --version without reading files.
import { build } from 'esbuild';
import { chmod, cp, readFile, rm, writeFile } from 'node:fs/promises';
import { importTs } from './import-ts.mjs';

const root = new URL('..', import.meta.url).pathname;
const pkg = JSON.parse(await readFile(`${root}package.json`, 'utf8'));
const scaffolder = `${root}packages/create-vpp-app/`;
const scaffolderPkg = JSON.parse(await readFile(`${scaffolder}package.json`, 'utf8'));
if (scaffolderPkg.version !== pkg.version) {
  throw new Error(`packages/create-vpp-app/package.json has version ${scaffolderPkg.version}, vppkit ${pkg.version}: they are released together, give both the same`);
}

const common = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  banner: { js: '#!/usr/bin/env node' },
  define: { __VPPKIT_VERSION__: JSON.stringify(pkg.version) },
  logLevel: 'warning',
};

await rm(`${root}dist`, { recursive: true, force: true });
await build({
  ...common,
  entryPoints: { vppkit: 'src/cli/vppkit.ts' },
  outdir: `${root}dist`,
  splitting: true,
  packages: 'external',
  sourcemap: 'linked',
});
await chmod(`${root}dist/vppkit.js`, 0o755);

await Promise.all(['dist', 'templates'].map((dir) => rm(scaffolder + dir, { recursive: true, force: true })));
const bundled = await build({
  ...common,
  entryPoints: { index: 'src/cli/create-vpp-app.ts' },
  outdir: `${scaffolder}dist`,
  splitting: true,
  minify: true,
  metafile: true,
  // CommonJS packages inside the bundle require Node's built-ins.
  banner: { js: `${common.banner.js}\nimport { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);` },
});
await chmod(`${scaffolder}dist/index.js`, 0o755);
await cp(`${root}templates`, `${scaffolder}templates`, { recursive: true });
// What went into the bundle, for the test that keeps the engine's modules out of it.
await writeFile(`${scaffolder}build-meta.json`, JSON.stringify(bundled.metafile));

// Editors read the lab schema from the installed package (the lab file's yaml-language-server modeline).
// It is assembled from the registered paths, so it is made by running the kit's own code.
const { labSchema } = await importTs('src/lab/lab-schema.ts');
await writeFile(`${root}dist/vppkit.schema.json`, `${JSON.stringify(labSchema(), null, 2)}\n`);
