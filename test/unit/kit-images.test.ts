import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BASE_IMAGE_ARG, KIT_IMAGES, baseBuildArgs, kitImageDir } from '../../src/images/kit-images.js';
import { repoRoot } from '../support/run-bin.js';

const imageFolders = readdirSync(join(repoRoot, 'images'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

describe('images/', () => {
  it('has exactly the folders the kit knows about', () => {
    expect(imageFolders.sort()).toEqual(Object.values(KIT_IMAGES).sort());
  });

  it.each(imageFolders)('%s takes its base from the BASE_IMAGE build argument', (folder) => {
    const lines = readFileSync(join(repoRoot, 'images', folder, 'Dockerfile'), 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'));
    // The ARG must come before the first FROM to be usable in it.
    expect(lines[0]).toMatch(new RegExp(`^ARG ${BASE_IMAGE_ARG}(=\\S+)?$`));
    const froms = lines.filter((line) => /^FROM\s/i.test(line));
    expect(froms.length).toBeGreaterThan(0);
    for (const from of froms) expect(from).toMatch(new RegExp(`^FROM \\$\\{${BASE_IMAGE_ARG}\\}`));
  });

  it('resolves each image folder inside the package', () => {
    for (const image of Object.keys(KIT_IMAGES) as (keyof typeof KIT_IMAGES)[]) {
      expect(kitImageDir(image)).toBe(join(repoRoot, 'images', KIT_IMAGES[image]));
    }
  });

  it('fills BASE_IMAGE from VPPKIT_BASE_IMAGE', () => {
    expect(baseBuildArgs({ VPPKIT_BASE_IMAGE: 'local/base:1' })).toEqual({ BASE_IMAGE: 'local/base:1' });
    expect(baseBuildArgs({})).toEqual({ BASE_IMAGE: 'ubuntu:24.04' });
  });
});
