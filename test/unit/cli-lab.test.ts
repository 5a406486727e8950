import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBin } from '../support/run-bin.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vppkit-cli-'));
  await writeFile(join(dir, 'vppkit.yaml'), 'name: demo\napps:\n  - name: app\n    path: memif\n');
  await writeFile(join(dir, 'other.yaml'), 'name: other\napps:\n  - name: web\n    path: vcl\n');
  await writeFile(join(dir, 'broken.yaml'), 'name: Demo\napps:\n  - name: app\n    path: memf\n');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('vppkit validate', () => {
  it('accepts ./vppkit.yaml by default', () => {
    const result = runBin('vppkit', ['validate'], { cwd: dir });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('vppkit.yaml: lab "demo" is valid: 1 app: app (memif)\n');
  });

  it('reads the file named by -f', () => {
    const result = runBin('vppkit', ['validate', '-f', 'other.yaml'], { cwd: dir });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('lab "other" is valid: 1 app: web (vcl)');
  });

  it('exits 1 and prints each problem as file:line:col with a fix, the schema\'s and the name\'s in one go', () => {
    const result = runBin('vppkit', ['validate', '-f', 'broken.yaml'], { cwd: dir });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'broken.yaml:1:7: name: "Demo" is not a DNS label (fix: use lowercase letters, digits and \'-\', starting with a letter, at most 40 characters, e.g. "demo")\n' +
        'broken.yaml:4:11: apps[0].path: "memf" is not one of memif, tap, af_xdp, af_packet, vcl, vcl-ldpreload (fix: did you mean "memif"?)\n',
    );
  });

  it('says how to get a lab file when there is none', () => {
    const result = runBin('vppkit', ['validate', '-f', 'missing.yaml'], { cwd: dir });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^missing\.yaml:1:1: cannot read the lab file \(ENOENT\) \(fix: create one with create-vpp-app/);
  });
});

describe('vppkit plan', () => {
  it('prints the plan for people', () => {
    const result = runBin('vppkit', ['plan'], { cwd: dir });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Lab demo \(vppkit\.yaml\)/);
    expect(result.stdout).toContain('App app (memif)  container vppkit-demo_app');
    expect(result.stdout).toContain('create interface memif id 0 socket-id 0 master');
  });

  it('prints the plan as JSON with --json', () => {
    const result = runBin('vppkit', ['plan', '--json', '-f', 'other.yaml'], { cwd: dir });
    expect(result.status).toBe(0);
    const plan = JSON.parse(result.stdout) as { lab: string; containers: { name: string }[]; vpp: { plugins: string[] } };
    expect(plan.lab).toBe('other');
    expect(plan.containers.map((c) => c.name)).toEqual(['vppkit-other_vpp', 'vppkit-other_web']);
    expect(plan.vpp.plugins).toEqual(['ping']);
  });

  it('fails like validate on a broken lab', () => {
    const result = runBin('vppkit', ['plan', '-f', 'broken.yaml'], { cwd: dir });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^broken\.yaml:1:7: .*\nbroken\.yaml:4:11: /);
  });
});
