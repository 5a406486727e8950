import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONVENTIONAL_VPP_PREFIX, OFFLINE_BASE_IMAGE } from '../support/repo-env.js';
import { repoRoot } from '../support/run-bin.js';

const read = (path: string) => readFileSync(join(repoRoot, path), 'utf8');

describe('the repository scripts and the test defaults agree', () => {
  it('on the offline base image tag', () => {
    expect(read('scripts/base-image.sh')).toContain(`TAG=\${VPPKIT_BASE_IMAGE:-${OFFLINE_BASE_IMAGE}}`);
    expect(read('.ci/run')).toContain(`VPPKIT_BASE_IMAGE:-${OFFLINE_BASE_IMAGE}`);
  });

  it('on the conventional VPP prefix', () => {
    expect(read('.ci/run')).toContain(`[ -x ${CONVENTIONAL_VPP_PREFIX}/bin/vpp ]`);
    expect(read('README.md')).toContain(CONVENTIONAL_VPP_PREFIX);
  });

  it('on the test command: .ci/run runs the one the README gives', () => {
    expect(read('README.md')).toMatch(/^npm test\s/m);
    expect(read('.ci/run')).toMatch(/^npm test$/m);
  });
});
