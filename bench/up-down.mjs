// `vppkit up` + `vppkit down` of a one-app memif lab with warm images, side by side with the same two
// containers and volume made, waited for and removed by the docker CLI (up-down-baseline.sh); then a
// no-op `up` of the running lab and `status`. Needs a Docker engine, the base image and a VPP
// install prefix (VPPKIT_VPP_PREFIX, or /opt/vpp): FD.io's packages cannot be reached from these
// machines, so the lab's VPP comes from the prefix. Run after `npm run build`:
//   VPPKIT_BASE_IMAGE=vppkit/debian-base:bookworm node bench/up-down.mjs [pairs]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { median, report, sideBySide, timeOnce } from './side-by-side.mjs';

const root = new URL('..', import.meta.url).pathname;
const runs = Number(process.argv[2] ?? 7);
const prefix = process.env.VPPKIT_VPP_PREFIX ?? '/opt/vpp';
if (!existsSync(join(prefix, 'bin/vpp'))) throw new Error(`no VPP at ${prefix}: set VPPKIT_VPP_PREFIX to an install prefix`);
const node = process.execPath;
const vppkit = join(root, 'dist/vppkit.js');
const work = mkdtempSync(join(tmpdir(), 'vppkit-bench-'));
const lab = `bench${process.pid}`;
const project = join(work, lab);
const kit = (...args) => execFileSync(node, [vppkit, ...args], { cwd: project, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

try {
  execFileSync(node, [join(root, 'packages/create-vpp-app/dist/index.js'), lab, '--memif', '--vpp-prefix', prefix], { cwd: work, stdio: 'ignore' });
  // Warm: the images are built once, outside the figures.
  kit('up');
  const image = (node) => execFileSync('docker', ['inspect', '--format', '{{.Config.Image}}', `vppkit-${lab}_${node}`], { encoding: 'utf8' }).trim();
  const [vppImage, appImage] = [image('vpp'), image('app')];
  const files = join(work, 'vpp-files');
  const plan = JSON.parse(kit('plan', '--json'));
  for (const file of plan.containers.find((container) => container.role === 'vpp').files) {
    mkdirSync(join(files, dirname(file.path)), { recursive: true });
    writeFileSync(join(files, file.path), file.content, { mode: file.mode });
  }
  const noOp = [];
  const status = [];
  for (let i = 0; i < runs; i++) {
    noOp.push(timeOnce({ cmd: node, args: [vppkit, 'up'], cwd: project }));
    status.push(timeOnce({ cmd: node, args: [vppkit, 'status'], cwd: project }));
  }
  kit('down');

  console.log(`node ${process.version}, docker ${execFileSync('docker', ['version', '--format', '{{.Server.Version}}'], { encoding: 'utf8' }).trim()}, VPP from ${prefix}, ${runs} pairs, medians; A vs B`);
  report(
    'vppkit up + down (memif, warm)  vs  docker CLI, same containers',
    sideBySide({
      runs,
      warmup: 1,
      a: () => ({ cmd: 'sh', args: ['-c', `"${node}" "${vppkit}" up >/dev/null && "${node}" "${vppkit}" down >/dev/null`], cwd: project }),
      b: () => ({ cmd: join(root, 'bench/up-down-baseline.sh'), args: [vppImage, appImage, files] }),
    }),
    1.3,
  );
  console.log(`vppkit up of the running lab (nothing to do): ${(median(noOp) * 1000).toFixed(0)} ms; vppkit status: ${(median(status) * 1000).toFixed(0)} ms`);
} finally {
  try {
    kit('down');
  } catch {
    // already down
  }
  rmSync(work, { recursive: true, force: true });
}
