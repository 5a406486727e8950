import { PATH_NAMES, pathModule } from '../paths/registry.js';
import base from './lab-schema.base.json' with { type: 'json' };

/**
 * The lab file's JSON Schema: the path-independent base, with the registered paths' names and their
 * option blocks. Validation uses it, and the build writes it to dist/vppkit.schema.json for editors.
 */
export function labSchema(): Record<string, unknown> {
  const schema = structuredClone(base);
  const properties: Record<string, unknown> = schema.definitions.app.properties;
  properties.path = { ...schema.definitions.app.properties.path, enum: [...PATH_NAMES] };
  for (const name of PATH_NAMES) {
    const { optionsKey, optionsSchema } = pathModule(name);
    if (optionsKey && optionsSchema && !properties[optionsKey]) properties[optionsKey] = optionsSchema;
  }
  return schema;
}
