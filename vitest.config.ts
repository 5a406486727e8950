import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';
import { applyRepoTestDefaults } from './test/support/repo-env.js';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };
applyRepoTestDefaults();

const define = { __VPPKIT_VERSION__: JSON.stringify(pkg.version) };

// Three tiers, one command. The root setup builds the bins once; each tier's own setup probes what it
// needs (a Docker engine, a VPP prefix), prints why it skips when it must, and hands the verdict on.
export default defineConfig({
  define,
  test: {
    globalSetup: ['test/support/build.setup.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
    projects: [
      {
        define,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 120_000 },
      },
      {
        define,
        test: {
          name: 'engine',
          include: ['test/engine/**/*.test.ts'],
          globalSetup: ['test/support/engine-tier.setup.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
      {
        define,
        test: {
          name: 'vpp',
          include: ['test/vpp/**/*.test.ts'],
          globalSetup: ['test/support/vpp-tier.setup.ts'],
          testTimeout: 900_000,
          hookTimeout: 900_000,
        },
      },
    ],
  },
});
