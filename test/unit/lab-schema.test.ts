import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { labSchema } from '../../src/lab/lab-schema.js';
import { PATH_NAMES, pathModule } from '../../src/paths/registry.js';
import { LAB_VALIDATOR_FILE, renderLabValidator } from '../../scripts/lab-validator.mjs';
import { repoRoot } from '../support/run-bin.js';

describe('the lab file\'s JSON Schema, assembled from the path modules', () => {
  const schema = labSchema() as { definitions: { app: { properties: Record<string, { enum?: string[] }> } } };

  it('names every registered path, and carries each path\'s options block', () => {
    const properties = schema.definitions.app.properties;
    expect(properties.path!.enum).toEqual([...PATH_NAMES]);
    for (const name of PATH_NAMES) {
      const { optionsKey, optionsSchema } = pathModule(name);
      if (optionsKey) expect(properties[optionsKey]).toEqual(optionsSchema);
    }
  });

  it('is what the build ships in dist/vppkit.schema.json', () => {
    expect(JSON.parse(readFileSync(join(repoRoot, 'dist/vppkit.schema.json'), 'utf8'))).toEqual(schema);
  });

  it('is the schema the checked-in validator was compiled from (npm run generate rewrites it)', () => {
    expect(readFileSync(LAB_VALIDATOR_FILE, 'utf8')).toBe(renderLabValidator(labSchema()));
  });
});
