import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderDevcontainerTemplate, TEMPLATE_ID } from '../../src/export/devcontainer-template.js';
import { PATH_NAMES } from '../../src/lab/lab-model.js';
import { filesUnder } from '../support/files.js';
import { repoRoot } from '../support/run-bin.js';

const templateDir = join(repoRoot, 'devcontainer/src', TEMPLATE_ID);
const rendered = renderDevcontainerTemplate();

// The template is rendered from the plans and the kit's Dockerfiles; the checked-in copy must be what
// the renderer makes now (vitest -u rewrites it after a change).
describe('the Dev Container Template in devcontainer/', () => {
  it.each(rendered.map((file) => [file.path, file] as const))('%s is as rendered', async (_path, file) => {
    await expect(file.content).toMatchFileSnapshot(join(templateDir, file.path));
  });

  it('holds nothing else, and the test folder has a test.sh, as devcontainers/templates lays them out', () => {
    expect(filesUnder(templateDir)).toEqual(rendered.map((file) => file.path).sort());
    expect(filesUnder(join(repoRoot, 'devcontainer/test', TEMPLATE_ID))).toContain('test.sh');
  });

  it('offers every path, and every option it uses is declared with a default', () => {
    const manifest = JSON.parse(rendered.find((file) => file.path === 'devcontainer-template.json')!.content) as {
      id: string;
      options: Record<string, { default: string; enum?: string[] }>;
    };
    expect(manifest.id).toBe(TEMPLATE_ID);
    expect(manifest.options.path!.enum).toEqual([...PATH_NAMES]);
    for (const path of PATH_NAMES) expect(rendered.map((file) => file.path)).toContain(`.devcontainer/compose.${path}.yaml`);
    const used = new Set(rendered.flatMap((file) => [...file.content.matchAll(/\$\{templateOption:(\w+)\}/g)].map((match) => match[1]!)));
    expect([...used].sort()).toEqual(Object.keys(manifest.options).sort());
  });
});
