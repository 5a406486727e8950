import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Tests run the bins as a user would, so build them fresh once per run (esbuild: well under a second). */
export default function setup(): void {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
  console.log('[build] dist/vppkit.js and packages/create-vpp-app/dist/index.js rebuilt');
}
