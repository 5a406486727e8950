import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatIssue, LabFileError } from '../../src/lab/lab-error.js';
import { MAX_ALIASES, MAX_APPS, MAX_DEPTH, MAX_LAB_FILE_BYTES, MAX_VALUES } from '../../src/lab/lab-limits.js';
import { loadLab } from '../../src/lab/load-lab.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import { issuesOf, lab, LAB_FILE, yaml } from '../support/lab-fixtures.js';

// Hostile and huge lab files are refused early, with the limit, where it is passed and what to do;
// before, 3,000 apps took 17 s and died with "Invalid string length", 50,000 ran V8 out of memory,
// and 300 apps on the default pool printed 1,035 overlap errors.

const appsOf = (n: number, extra = ''): string => Array.from({ length: n }, (_, i) => `  - { name: app${i}, path: memif${extra} }\n`).join('');

/** The one issue a lab produces, formatted. */
function only(source: string): string {
  const issues = issuesOf(source);
  expect(issues, issues.map(formatIssue).join('\n')).toHaveLength(1);
  return formatIssue(issues[0]!);
}

/** Hang guard, not a speed target (those live in bench/): the cases below took 17 s or crashed before. */
function quickly<T>(run: () => T): T {
  const started = performance.now();
  const result = run();
  expect(performance.now() - started).toBeLessThan(5_000);
  return result;
}

describe('limits of a lab file', () => {
  it('3,000 apps: refused at the first app past the limit', () => {
    const source = `name: big\npool: 10.0.0.0/8\napps:\n${appsOf(3_000)}`;
    expect(quickly(() => only(source))).toBe(
      `${LAB_FILE}:${4 + MAX_APPS}:5: apps[1000]: the lab has 3,000 apps, more than the 1,000 a lab may have (each app is a container on this host) (fix: split it into labs of at most 1,000 apps, each with a name of its own)`,
    );
  });

  it(`${MAX_APPS} apps with every key spelled out, the fullest lab the limits allow, load and plan`, () => {
    const apps = Array.from({ length: MAX_APPS }, (_, i) => {
      const subnet = `10.${Math.floor(i / 256) + 1}.${i % 256}`;
      return yaml(
        `  - name: app-${i}`,
        '    path: memif',
        `    build: apps/app-${i}`,
        '    command: [./app, -v, --port, "7000"]',
        '    env: { LOG: debug, MODE: echo, PEER: 10.77.1.1 }',
        `    address: ${subnet}.2/24`,
        `    vpp-address: ${subnet}.1/24`,
        '    port: 7000',
        '    check: [./client, --once]',
        '    privileged: false',
        `    memif: { id: ${i}, socket: app-${i}.sock, role: slave, mode: ethernet, ring-size: 1024, buffer-size: 2048, queues: 1, secret: s3cret }`,
      );
    });
    const source = `name: full\npool: 10.0.0.0/8\napps:\n${apps.join('')}`;
    expect(source.length).toBeLessThan(MAX_LAB_FILE_BYTES);
    const loaded = quickly(() => lab(source));
    expect(buildPlan(loaded).containers).toHaveLength(MAX_APPS + 1);
  });

  it('50,000 apps: refused for its size, at the line where it passes the limit', () => {
    const source = `name: big\napps:\n${appsOf(50_000)}`;
    const issue = quickly(() => only(source));
    const line = source.slice(0, MAX_LAB_FILE_BYTES).split('\n').length;
    expect(issue).toMatch(new RegExp(`^${LAB_FILE}:${line}:\\d+: the lab file has ${source.length.toLocaleString('en-US')} bytes, more than the 524,288 \\(512 KiB\\) a lab file may have; it passes that here \\(fix: .*split the lab\\)$`));
  });

  it('a lab file read from disk is read no further than the limit: a huge file, or one with no end', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vppkit-limits-'));
    try {
      const file = join(dir, 'vppkit.yaml');
      await writeFile(file, `name: big\napps:\n  - name: app\n    path: memif\n    command: "${'x'.repeat(3 * MAX_LAB_FILE_BYTES)}"\n`);
      await expect(loadLab(file)).rejects.toThrow(/:5:\d+: the lab file has 1,572,\d{3} bytes, more than the 524,288 \(512 KiB\)/);
      await expect(loadLab('/dev/zero')).rejects.toThrow(/^\/dev\/zero:1:524289: the lab file has more than the 524,288 \(512 KiB\) a lab file may have/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('collections nested deeper than any lab, in flow and block style: refused where they pass the limit', () => {
    expect(only(`name: deep\napps: ${'['.repeat(5_000)}${']'.repeat(5_000)}\n`)).toBe(
      `${LAB_FILE}:2:${7 + MAX_DEPTH - 1}: YAML: collections nest more than 32 deep here (fix: a lab nests four deep at most (apps, an app, its options, a value): close the brackets or dedent)`,
    );
    // Line 4 is a key of the lab (depth 1); each line after it a map inside the one above.
    const block = Array.from({ length: 600 }, (_, i) => `${' '.repeat(i)}k:`).join('\n');
    expect(only(`name: deep\napps: []\nx:\n${block} v\n`)).toMatch(new RegExp(`^${LAB_FILE}:${4 + MAX_DEPTH}:\\d+: YAML: collections nest more than 32 deep here`));
  });

  it('an alias bomb ("billion laughs"): refused at the alias that repeats past the limit', () => {
    let bomb = 'name: x\nl0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
    for (let i = 1; i < 10; i++) bomb += `l${i}: &l${i} [${Array(9).fill(`*l${i - 1}`).join(', ')}]\n`;
    expect(quickly(() => only(`${bomb}apps: [{ name: a, path: memif }]\n`))).toMatch(
      /:7:\d+: YAML: with its aliases repeated, the lab file stands for more than 100,000 values .*; this alias passes that \(fix: repeat less with aliases/,
    );
  });

  it('a wide anchor repeated by a few aliases: refused, though the library\'s own alias count would let it through', () => {
    const source = `name: x\nbig: &big [${Array(MAX_VALUES / 50).fill('a').join(', ')}]\napps:\n${appsOf(60, ', command: *big')}`;
    expect(only(source)).toMatch(/^\S+:\d+:\d+: YAML: with its aliases repeated, the lab file stands for more than 100,000 values/);
  });

  it(`more than ${MAX_ALIASES} aliases (the library resolves them in quadratic time): refused at the first one too many`, () => {
    const source = `name: x\nenv: &env { LOG: debug }\napps:\n${appsOf(MAX_ALIASES + 1, ', env: *env')}`;
    expect(quickly(() => only(source))).toMatch(new RegExp(`^${LAB_FILE}:${4 + MAX_ALIASES}:\\d+: YAML: more than 2,000 aliases \\(\\*name\\); this one passes that`));
  });

  it('every key given twice is reported, in a map as long as the limits allow (the library\'s check compares every pair)', () => {
    const keys = Array.from({ length: 15_000 }, (_, i) => `    K${i}: v`).join('\n');
    const issues = quickly(() => issuesOf(`name: x\napps:\n  - name: a\n    path: memif\n    env:\n${keys}\n    K7: again\n    K9: again\n`));
    expect(issues.map((issue) => [issue.line, issue.message])).toEqual([
      [15_006, 'YAML: the key "K7" is given twice'],
      [15_007, 'YAML: the key "K9" is given twice'],
    ]);
  });
});

describe('YAML that used to escape as another error', () => {
  it('an alias with no anchor (a ReferenceError before)', () => {
    expect(only('name: x\napps: [{ name: a, path: memif, env: *nope }]\n')).toBe(
      `${LAB_FILE}:2:37: YAML: the alias "*nope" has no anchor "&nope" before it (fix: put the anchor on a value above this alias, or write the value here)`,
    );
  });

  it('an alias inside the value it names (a cycle)', () => {
    expect(only('name: x\nx: &a [1, *a]\napps: [{ name: a, path: memif }]\n')).toMatch(/:2:11: YAML: the alias "\*a" is inside the value it names/);
  });

  it('a second YAML document', () => {
    expect(only('name: x\napps: [{ name: a, path: memif }]\n---\nname: y\n')).toMatch(/:3:1: YAML: a second document starts here; a lab file is one document/);
  });

  it('a huge value is quoted short in its message', () => {
    const issue = only(`name: ${'X'.repeat(100_000)}\napps: [{ name: a, path: memif }]\n`);
    expect(issue).toMatch(/name: "X{60}\.\.\." \(100,000 characters\) is not a DNS label/);
    expect(issue.length).toBeLessThan(400);
  });
});

describe('a pool that runs out', () => {
  it('is one problem at the first app it fails, with a pool that fits', () => {
    const source = `name: big\napps:\n${appsOf(300)}`;
    const issue = only(source);
    expect(issue).toMatch(
      /^\S+:258:5: apps\[255\]: the pool 10\.\d+\.0\.0\/16 has no \/24 left for this app nor for the 44 after it that have no address of their own \(255 apps before it got one each\) \(fix: use a larger pool, e\.g\. pool: (10\.\d+\.0\.0\/15), or give apps addresses of their own\)$/,
    );
    const larger = /pool: (\S+),/.exec(issue)![1]!;
    expect(lab(source.replace('apps:\n', `pool: ${larger}\napps:\n`)).apps).toHaveLength(300);
  });

  it('given subnets that overlap: one problem per app, against the first it overlaps', () => {
    const issues = issuesOf(yaml('name: x', 'apps:', ...Array.from({ length: 5 }, (_, i) => `  - { name: a${i}, path: memif, address: 10.1.1.${i + 2}/24 }`)));
    expect(issues.map((issue) => `${issue.path}: ${issue.message}`)).toEqual([
      'apps[1].address: subnet 10.1.1.0/24 overlaps app "a0" (10.1.1.0/24)',
      'apps[2].address: subnet 10.1.1.0/24 overlaps app "a0" (10.1.1.0/24)',
      'apps[3].address: subnet 10.1.1.0/24 overlaps app "a0" (10.1.1.0/24)',
      'apps[4].address: subnet 10.1.1.0/24 overlaps app "a0" (10.1.1.0/24)',
    ]);
  });
});

it('LabFileError is what every refusal above is', () => {
  expect(() => lab('name: x\napps: [{ name: a, path: memif, env: *nope }]\n')).toThrow(LabFileError);
});
