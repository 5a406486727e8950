import { describe, expect, inject, it } from 'vitest';
import { runBin } from '../support/run-bin.js';

const tier = inject('engineTier');

describe.skipIf(!tier.run)('vppkit doctor', () => {
  it('reports the engine and every host requirement, each problem with what it blocks and a fix', () => {
    const result = runBin('vppkit', ['doctor']);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ok {3}Docker engine: \S+ \(API [\d.]+, linux\/\w+\)$/);
    for (const name of ['/dev/net/tun', '/dev/vhost-net', 'hugepages', 'XDP sockets', 'memlock limit']) {
      expect(lines.some((line) => new RegExp(`^(ok  |warn|FAIL) ${name.replace('/', '\\/')}: `).test(line)), name).toBe(true);
    }
    const failures = lines.filter((line) => line.startsWith('FAIL'));
    for (const failure of failures) {
      expect(failure).toMatch(/\(blocks [^)]+\)$/);
      expect(lines[lines.indexOf(failure) + 1]).toMatch(/^ {5}fix: /);
    }
    expect(result.status).toBe(failures.length ? 1 : 0);
  });

  it('answers in JSON for tools', () => {
    const checks = JSON.parse(runBin('vppkit', ['doctor', '--json']).stdout) as { name: string; level: string; blocks: string[] }[];
    expect(checks[0]).toMatchObject({ name: 'Docker engine', level: 'ok', blocks: [] });
    expect(checks.map((check) => check.name)).toContain('/dev/vhost-net');
  });
});
