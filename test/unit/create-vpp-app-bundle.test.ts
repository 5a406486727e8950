import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/run-bin.js';

interface Metafile {
  inputs: Record<string, unknown>;
  outputs: Record<string, { entryPoint?: string; imports: { path: string; kind: string }[] }>;
}

// The build's own record of what went into create-vpp-app's bundle (the global setup built it).
const meta = JSON.parse(readFileSync(join(repoRoot, 'packages/create-vpp-app/build-meta.json'), 'utf8')) as Metafile;
const packagesIn = new Set(Object.keys(meta.inputs).flatMap((input) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? []));

describe('create-vpp-app\'s bundle', () => {
  it('holds no engine client: no dockerode, nor its SSH transport and native add-ons', () => {
    for (const name of ['dockerode', 'docker-modem', 'ssh2', 'cpu-features']) expect(packagesIn).not.toContain(name);
  });

  it('imports nothing from node_modules at run time: everything it uses is inside', () => {
    const external = Object.values(meta.outputs)
      .flatMap((output) => output.imports)
      .filter((imported) => !imported.path.startsWith('node:') && !builtinModules.includes(imported.path) && !imported.path.startsWith('packages/'));
    expect(external).toEqual([]);
  });
});
