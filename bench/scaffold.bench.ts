import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bench, describe } from 'vitest';
import { PATH_NAMES } from '../src/lab/lab-model.js';
import { renderProject } from '../src/scaffold/project-files.js';
import { writeProject } from '../src/scaffold/write-project.js';
import { packageManagerFrom } from '../src/scaffold/package-manager.js';

// Target: create-vpp-app generates a project well under a second (issue: "Generation takes well
// under a second"). Run with: npx vitest bench --run bench/
describe('create-vpp-app generation', () => {
  for (const path of PATH_NAMES) {
    bench(`render and write a ${path} project`, async () => {
      const dir = await mkdtemp(join(tmpdir(), 'vppkit-bench-'));
      const target = join(dir, 'bench-app');
      await writeProject(target, renderProject({ name: 'bench-app', path, vpp: { kind: 'release', release: '26.06' }, dir: target, packageManager: packageManagerFrom(undefined) }), { force: false });
      await rm(dir, { recursive: true, force: true });
    });
  }
});
