import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PATH_NAMES } from '../../src/lab/lab-model.js';
import { renderPathTable, withPathTable } from '../../src/paths/path-table.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import type { PlannedContainer } from '../../src/plan/plan-types.js';
import { lab, yaml } from '../support/lab-fixtures.js';
import { repoRoot } from '../support/run-bin.js';

const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
const BASE = ['IPC_LOCK', 'SYS_NICE'];
const code = (text: string) => `\`${text}\``;

function vppColumn(vpp: PlannedContainer): string {
  const parts: string[] = [];
  const caps = vpp.capabilities.map((grant) => grant.value).filter((value) => !BASE.includes(value));
  if (caps.length) parts.push(caps.map(code).join(', '));
  if (vpp.devices.length) parts.push(`devices ${vpp.devices.map((grant) => code(grant.value)).join(', ')}`);
  if (vpp.networks.length) parts.push('a Docker network shared with the app');
  for (const mount of vpp.mounts) if (mount.type === 'volume' && mount.target !== '/run/vpp') parts.push(`the volume it copies VCL's libraries into (${code(mount.target)})`);
  return parts.join('; ') || 'nothing more';
}

function appColumn(app: PlannedContainer): string {
  const parts: string[] = [];
  if (app.mounts.some((mount) => mount.target === '/run/vpp')) parts.push(`the ${code('/run/vpp')} volume`);
  if (app.networkMode.kind === 'container') parts.push('VPP\'s network namespace');
  if (app.networks.length) parts.push('the shared Docker network');
  for (const mount of app.mounts) if (mount.type === 'volume' && mount.readOnly) parts.push(`that volume, read-only; ${code(`LD_LIBRARY_PATH=${app.env.LD_LIBRARY_PATH}`)}`);
  for (const file of app.files) parts.push(code(file.path));
  if (app.env.LD_PRELOAD) parts.push(code(`LD_PRELOAD=${app.env.LD_PRELOAD}`));
  if (app.capabilities.length || app.devices.length || app.privileged) parts.push('(more)');
  return parts.join('; ') || 'nothing';
}

describe('the README\'s table of what each path needs', () => {
  it.each(PATH_NAMES)('matches the plan for %s', (path) => {
    const plan = buildPlan(lab(yaml('name: demo', `apps: [{ name: app, path: ${path} }]`)));
    const [vpp, app] = plan.containers;
    expect(vpp!.capabilities.map((grant) => grant.value).slice(0, 2)).toEqual(BASE);
    expect(readme).toContain(`| ${code(path)} | ${vppColumn(vpp!)} | ${appColumn(app!)} |`);
  });

  it('states VPP\'s base capabilities', () => {
    expect(readme).toContain(`VPP always gets ${BASE.map(code).join(' and ')}`);
  });
});

describe('the README\'s lab files', () => {
  const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1]!);

  it('are valid labs', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    for (const block of blocks) expect(() => lab(block)).not.toThrow();
  });

  it('point editors at the schema the package ships', () => {
    expect(blocks[0]).toMatch(/^# yaml-language-server: \$schema=\.\/node_modules\/vppkit\/dist\/vppkit\.schema\.json$/m);
  });
});

describe('the README\'s table of paths', () => {
  it('is what the path modules say (node scripts/generate.mjs rewrites it)', () => {
    expect(withPathTable(readme, renderPathTable())).toBe(readme);
  });
});
