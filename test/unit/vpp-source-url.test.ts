import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_VPP_SOURCE_TARBALL } from '../../src/config/defaults.js';
import { repoRoot } from '../support/run-bin.js';

const script = join(repoRoot, 'images/app-dev/vpp-source-url.sh');

/** The script as the app-dev image runs it: with sh (dash here, as on Debian and Ubuntu images). */
function sourceUrl(template: string, version: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync('sh', [script, template, version], { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const refOf = (version: string): string => {
  const result = sourceUrl('{ref}', version);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return result.stdout.trim();
};

// FD.io's package versions come from VPP's src/scripts/version, which describes the nearest v* tag.
describe('images/app-dev/vpp-source-url.sh: which VPP source built an FD.io package version', () => {
  it('a release (on tag v26.06: 26.06-release) comes from its tag', () => {
    expect(refOf('26.06-release')).toBe('v26.06');
  });

  it('a build between tags (15 commits after v25.10, with the ".0" of an implicit zeroth release: 25.10.0-15~g6ec2735dd) comes from its commit', () => {
    expect(refOf('25.10.0-15~g6ec2735dd')).toBe('6ec2735dd');
  });

  it.each([
    ['25.10.1-release', 'v25.10.1'],
    ['25.10.1-3~g0123abcd', '0123abcd'],
    ['26.10-rc1~0-gabc1234', 'v26.10-rc1'],
    ['26.10-rc1~5-gabc1234', 'abc1234'],
    // The vpp tier's own build, a master build between rc0 and rc1.
    ['26.10-rc0~374-gb575ec2c5', 'b575ec2c5'],
    // CI build numbers and local changes say nothing about the source; an epoch neither.
    ['25.10.0-15~g6ec2735dd~b1234', '6ec2735dd'],
    ['26.06.0-3~gdeadbeef-dirty', 'deadbeef'],
    ['1:26.06-release', 'v26.06'],
  ])('%s comes from %s', (version, ref) => {
    expect(refOf(version)).toBe(ref);
  });

  it('fills every {ref} of the template: by default, GitHub\'s archive of FD.io\'s repository', () => {
    expect(sourceUrl(DEFAULT_VPP_SOURCE_TARBALL, '26.06-release').stdout).toBe('https://github.com/FDio/vpp/archive/v26.06.tar.gz\n');
    expect(sourceUrl('https://mirror.example/vpp/{ref}/vpp-{ref}.tar.gz', '25.10.0-15~g6ec2735dd').stdout).toBe(
      'https://mirror.example/vpp/6ec2735dd/vpp-6ec2735dd.tar.gz\n',
    );
  });

  it('refuses a version it cannot place, saying what it expected and the way out', () => {
    for (const version of ['26.06', '26.06-1', '26.06-rc1', 'latest']) {
      const result = sourceUrl(DEFAULT_VPP_SOURCE_TARBALL, version);
      expect(result.status, version).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(`cannot tell which VPP source built package version "${version}" (FD.io's look like 26.06-release or 25.10.0-15~g6ec2735dd); give a source tarball URL without {ref}`);
    }
  });

  it('uses a template without {ref} as it is, whatever the version', () => {
    expect(sourceUrl('https://mirror.example/vpp-26.06.tar.gz', 'anything')).toEqual({ status: 0, stdout: 'https://mirror.example/vpp-26.06.tar.gz\n', stderr: '' });
  });

  it('is what the app-dev image falls back to when built without a source tarball (the Dev Container Template)', () => {
    const dockerfile = readFileSync(join(repoRoot, 'images/app-dev/Dockerfile'), 'utf8');
    expect(dockerfile).toContain(`template='${DEFAULT_VPP_SOURCE_TARBALL}'`);
  });
});
