// How fast the kit's commands start, against the anchors the issue names, side by side on this
// machine: create-vpp-app against create-vite (a small scaffolder), vppkit --version and validate
// against `node -e 0`; and what installing the create-vpp-app tarball brings. Run from the
// repository after `npm run build`: node bench/start.mjs [runs]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { report, sideBySide } from './side-by-side.mjs';

const root = new URL('..', import.meta.url).pathname;
const runs = Number(process.argv[2] ?? 15);
const CREATE_VITE = '9.3.0';
const node = process.execPath;
const work = mkdtempSync(join(tmpdir(), 'vppkit-bench-'));

/** create-vite, installed once into a cache folder outside the repository. */
function createVite() {
  const dir = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'vppkit-bench', `create-vite-${CREATE_VITE}`);
  const bin = join(dir, 'node_modules/create-vite/index.js');
  if (!existsSync(bin)) {
    mkdirSync(dir, { recursive: true });
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefix', dir, `create-vite@${CREATE_VITE}`], { stdio: 'ignore' });
  }
  return bin;
}

try {
  console.log(`node ${process.version}, ${runs} pairs each, medians; A vs B`);
  const fresh = (i, who) => {
    const dir = join(work, `${who}-${i}`);
    mkdirSync(dir, { recursive: true });
    return dir;
  };
  const scaffolder = join(root, 'packages/create-vpp-app/dist/index.js');
  const vite = createVite();
  report(
    'create-vpp-app x --memif --yes  vs  create-vite x vanilla-ts',
    sideBySide({
      runs,
      a: (i) => ({ cmd: node, args: [scaffolder, 'x', '--memif', '--yes'], cwd: fresh(i, 'vpp') }),
      b: (i) => ({ cmd: node, args: [vite, 'x', '--template', 'vanilla-ts', '--no-interactive'], cwd: fresh(i, 'vite') }),
    }),
    1.0,
  );

  const vppkit = join(root, 'dist/vppkit.js');
  const nodeNothing = () => ({ cmd: node, args: ['-e', '0'] });
  report('vppkit --version  vs  node -e 0', sideBySide({ runs, a: () => ({ cmd: node, args: [vppkit, '--version'] }), b: nodeNothing }), 2.0);
  const project = join(work, 'vpp-0', 'x');
  report('vppkit validate (a memif project)  vs  node -e 0', sideBySide({ runs, a: () => ({ cmd: node, args: [vppkit, 'validate'], cwd: project }), b: nodeNothing }), 2.0);

  // What a user's `npx create-vpp-app` installs: the packed tarball into an empty folder.
  const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: join(root, 'packages/create-vpp-app'), encoding: 'utf8' }))[0];
  const consumer = join(work, 'consumer');
  mkdirSync(consumer);
  writeFileSync(join(consumer, 'package.json'), '{"name":"consumer","private":true}\n');
  execFileSync('npm', ['install', '--no-audit', '--no-fund', join(work, packed.filename)], { cwd: consumer, stdio: 'ignore' });
  const lock = JSON.parse(readFileSync(join(consumer, 'package-lock.json'), 'utf8'));
  const installed = Object.entries(lock.packages).filter(([path]) => path.startsWith('node_modules/'));
  const scripts = installed.filter(([, entry]) => entry.hasInstallScript).map(([path]) => path);
  console.log(
    `installing ${packed.filename} (${(packed.size / 1024).toFixed(0)} KB packed, ${(packed.unpackedSize / 1024).toFixed(0)} KB unpacked, ${packed.entryCount} files): ` +
      `${installed.length} package(s), install scripts: ${scripts.length ? scripts.join(', ') : 'none'}  target <= a handful, none`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
