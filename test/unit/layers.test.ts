import { spawnSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/run-bin.js';

const depcruise = (cwd: string) =>
  spawnSync(process.execPath, [join(repoRoot, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'), 'src', '--config', join(repoRoot, '.dependency-cruiser.cjs'), '--output-type', 'err'], {
    cwd,
    encoding: 'utf8',
  });

// The layer order of .dependency-cruiser.cjs: lab file -> model -> plan -> engine and exports.
describe('the direction of imports in src/', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('no module imports from a layer above its own, and there are no cycles', () => {
    const result = depcruise(repoRoot);
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/no dependency violations found/);
  });

  it('a back-running import, a cycle or a module outside every layer fails, named with its files and the rule', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vppkit-layers-'));
    dirs.push(dir);
    await mkdir(join(dir, 'src/plan'), { recursive: true });
    await mkdir(join(dir, 'src/engine'), { recursive: true });
    await cp(join(repoRoot, 'tsconfig.json'), join(dir, 'tsconfig.json'));
    await writeFile(join(dir, 'src/engine/up.ts'), 'export const up = 1;\n');
    await writeFile(join(dir, 'src/plan/build-plan.ts'), "import { up } from '../engine/up.js';\nexport const plan = up;\n");
    await mkdir(join(dir, 'src/gadgets'));
    await writeFile(join(dir, 'src/gadgets/thing.ts'), "import { plan } from '../plan/build-plan.js';\nexport const thing = plan;\n");
    await writeFile(join(dir, 'src/engine/down.ts'), "import { again } from './again.js';\nexport const down = () => again;\n");
    await writeFile(join(dir, 'src/engine/again.ts'), "import { down } from './down.js';\nexport const again = () => down;\n");
    const result = depcruise(dir);
    expect(result.status).not.toBe(0);
    expect(result.stdout).toMatch(/error no-cycles: src\/engine\/(down|again)\.ts/);
    expect(result.stdout).toMatch(/error plan-imports-up: src\/plan\/build-plan\.ts → src\/engine\/up\.ts/);
    expect(result.stdout).toMatch(/error every-module-in-a-layer: src\/gadgets\/thing\.ts/);
  });
});
