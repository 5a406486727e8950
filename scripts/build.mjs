// Builds the repository's two packages with esbuild:
// - vppkit (dist/): the orchestrator. The engine's client packages (dockerode, the tar streams) stay
//   external, installed with it and loaded only by the commands that talk to an engine; the rest (yaml,
//   commander, ...) is bundled: one file loads faster than the hundred small modules they ship as.
// - create-vpp-app (packages/create-vpp-app/): the scaffolder, one minified bundle with everything it
//   uses inside (no dependencies to install, no native builds), and a copy of templates/.
// Both bake in the version from package.json, so the bins answer --version without reading files.
import { build } from 'esbuild';
import { chmod, cp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { importTs } from './import-ts.mjs';

const root = new URL('..', import.meta.url).pathname;
// npm runs prepack in the package's own folder (packages/create-vpp-app): the paths below are the repository's.
process.chdir(root);
const pkg = JSON.parse(await readFile(`${root}package.json`, 'utf8'));
const scaffolder = `${root}packages/create-vpp-app/`;
const scaffolderPkg = JSON.parse(await readFile(`${scaffolder}package.json`, 'utf8'));
if (scaffolderPkg.version !== pkg.version) {
  throw new Error(`packages/create-vpp-app/package.json has version ${scaffolderPkg.version}, vppkit ${pkg.version}: they are released together, give both the same`);
}

/** The runtime dependencies vppkit's package.json declares: the rest is in the bundle. */
const ENGINE_PACKAGES = Object.keys(pkg.dependencies);

const common = {
  // esbuild takes the working folder it was loaded in by default, before the chdir above.
  absWorkingDir: root,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // CommonJS packages inside a bundle require Node's built-ins.
  banner: { js: "#!/usr/bin/env node\nimport { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  define: { __VPPKIT_VERSION__: JSON.stringify(pkg.version) },
  logLevel: 'warning',
};

/**
 * Makes a folder's new contents beside it and swaps them in: a bin that another process (a test run
 * beside this build) is starting never finds a half-emptied folder.
 */
async function replaceFolder(folder, make) {
  const staging = `${folder}.staging-${process.pid}`;
  const old = `${folder}.old-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  try {
    await make(staging);
    await rename(folder, old).catch((error) => {
      if (error.code !== 'ENOENT') throw error;
    });
    await rename(staging, folder);
  } finally {
    await Promise.all([rm(staging, { recursive: true, force: true }), rm(old, { recursive: true, force: true })]);
  }
}

await replaceFolder(`${root}dist`, async (out) => {
  await build({
    ...common,
    entryPoints: { vppkit: 'src/cli/vppkit.ts' },
    outdir: out,
    splitting: true,
    external: ENGINE_PACKAGES,
  });
  await chmod(`${out}/vppkit.js`, 0o755);
  // Editors read the lab schema from the installed package (the lab file's yaml-language-server modeline).
  // It is assembled from the registered paths, so it is made by running the kit's own code.
  const { labSchema } = await importTs('src/lab/lab-schema.ts');
  await writeFile(`${out}/vppkit.schema.json`, `${JSON.stringify(labSchema(), null, 2)}\n`);
});

let metafile;
await replaceFolder(`${scaffolder}dist`, async (out) => {
  ({ metafile } = await build({
    ...common,
    entryPoints: { index: 'src/cli/create-vpp-app.ts' },
    outdir: out,
    splitting: true,
    minify: true,
    metafile: true,
  }));
  await chmod(`${out}/index.js`, 0o755);
});
await replaceFolder(`${scaffolder}templates`, (out) => cp(`${root}templates`, out, { recursive: true }));
// What went into the bundle, for the test that keeps the engine's modules out of it (paths as esbuild
// names them, relative to the repository).
await writeFile(`${scaffolder}build-meta.json`, JSON.stringify(metafile));
