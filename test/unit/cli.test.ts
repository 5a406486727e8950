import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { repoRoot, runBin } from '../support/run-bin.js';

const { version } = JSON.parse(readFileSync(`${repoRoot}/package.json`, 'utf8')) as { version: string };

describe.each(['vppkit', 'create-vpp-app'] as const)('%s', (bin) => {
  it.each(['--version', '-V'])('answers %s with the package version', (flag) => {
    const result = runBin(bin, [flag]);
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe(version);
  });

  it.each(['--help', '-h'])('answers %s with usage on stdout', (flag) => {
    const result = runBin(bin, [flag]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`Usage: ${bin}`);
    expect(result.stdout).toContain('--version');
    expect(result.stderr).toBe('');
  });

  it('fails on an unknown flag with one line that names it', () => {
    const result = runBin(bin, ['--no-such-flag']);
    expect(result.status).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(new RegExp(`^${bin}: unknown option '--no-such-flag'`));
  });

  it('suggests the flag that was probably meant, on the same line', () => {
    const result = runBin(bin, ['--hepl']);
    expect(result.status).not.toBe(0);
    expect(result.stderr.trimEnd().split('\n')).toEqual([`${bin}: unknown option '--hepl' (Did you mean --help?)`]);
  });

  it('fails on an unknown command with one line', () => {
    const result = runBin(bin, ['no-such-command']);
    expect(result.status).not.toBe(0);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(new RegExp(`^${bin}: `));
  });
});
