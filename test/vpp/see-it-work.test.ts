import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { parseLab } from '../../src/lab/load-lab.js';
import { testPoolLine } from '../support/engine-lab.js';
import { runBin } from '../support/run-bin.js';
import { scratchProjects } from '../support/scratch-projects.js';

const tier = inject('vppTier');
const vhostNet = existsSync('/dev/vhost-net');
if (tier.run && !vhostNet) {
  console.log('[vpp tier] see it work, --tap skipped: this host has no /dev/vhost-net, and VPP\'s TAP v2 has no fallback without it');
}

const KIT = 'npx vppkit ';

interface Step {
  run: string;
  shows: string;
}

/** The rows of the README's "See it work" table, as the user reads them. */
function seeItWorkSteps(readme: string): Step[] {
  const section = readme.split('\n## See it work\n')[1]!.split('\n## ')[0]!;
  return [...section.matchAll(/^\| `([^`]+)` \| (.+) \|$/gm)].map((match) => ({ run: match[1]!, shows: match[2]! }));
}

/** "`memif0/0`'s rx packets and tx packets are higher than at the first look": what must grow. */
function growsIn(shows: string): { row: string; counters: string[] } | undefined {
  const match = /^`([^`]+)`'s (.+?) (?:is|are) higher than at the first look:/.exec(shows);
  return match ? { row: match[1]!, counters: match[2]!.split(' and ') } : undefined;
}

/** Counters by row: interfaces of `show interface`, nodes of `show errors` (by reason). */
function counters(command: string, output: string): Map<string, Map<string, number>> {
  const rows = new Map<string, Map<string, number>>();
  const add = (row: string, counter: string, count: number): void => {
    const own = rows.get(row) ?? new Map<string, number>();
    own.set(counter, (own.get(counter) ?? 0) + count);
    rows.set(row, own);
  };
  if (/show errors$/.test(command)) {
    for (const line of output.split('\n')) {
      const match = /^\s*(\d+)\s+(\S+)\s+(.+?)\s{2,}\S+\s*$/.exec(line);
      if (match) add(match[2]!, match[3]!, Number(match[1]));
    }
  } else {
    let row = '';
    for (const line of output.split('\n')) {
      if (/^\S/.test(line)) row = line.split(/\s+/)[0]!;
      const match = /\s{2,}([a-z][a-z0-9 -]*?)\s+(\d+)\s*$/i.exec(line);
      if (row && match) add(row, match[1]!, Number(match[2]));
    }
  }
  return rows;
}

function countOf(rows: Map<string, Map<string, number>>, row: string, counter: string): number {
  const name = row.endsWith('…') ? [...rows.keys()].find((key) => key.startsWith(row.slice(0, -1))) : row;
  return (name && rows.get(name)?.get(counter)) || 0;
}

// Each generated project's "See it work", run as its README says, on the VPP built by hand: the
// counters it points at in VPP move.
describe.skipIf(!tier.run)('create-vpp-app: the README\'s "See it work" moves VPP\'s counters', () => {
  const id = Math.random().toString(16).slice(2, 6);
  const scratch = scratchProjects('vppkit-demo-', `demo${id}-`);
  const made = scratch.made;

  it.for(['--memif', '--af-xdp', '--af-packet', '--vcl', '--vcl-ldpreload', ...(vhostNet ? ['--tap'] : [])])('%s', async (flag) => {
    const name = `demo${id}-${flag.slice(2)}`;
    const created = runBin('create-vpp-app', [name, flag, '--vpp-prefix', tier.prefix!], { cwd: scratch.work, env: { npm_config_user_agent: 'npm/10.0.0 node/v20.12.0 linux x64' } });
    expect(created.status, created.stderr).toBe(0);
    made.push(name);
    const cwd = join(scratch.work, name);

    // The lab gets a pool of its own beside other test files' labs; the README's addresses move with it.
    const labPath = join(cwd, 'vppkit.yaml');
    const generated = await readFile(labPath, 'utf8');
    const pooled = generated.replace(/^name: .*$/m, (line) => `${line}\n${testPoolLine(name)}`);
    await writeFile(labPath, pooled);
    const moved = new Map<string, string>();
    const [before, after] = [parseLab(generated, labPath), parseLab(pooled, labPath)];
    before.apps.forEach((app, index) => {
      moved.set(app.link.app.ip, after.apps[index]!.link.app.ip);
      moved.set(app.link.vpp.ip, after.apps[index]!.link.vpp.ip);
    });
    const relocate = (text: string): string => text.replace(/\b\d+\.\d+\.\d+\.\d+\b/g, (ip) => moved.get(ip) ?? ip);

    const steps = seeItWorkSteps(await readFile(join(cwd, 'README.md'), 'utf8'));
    expect(steps.filter((step) => growsIn(step.shows)).length, 'a step that says which VPP counters grow').toBeGreaterThan(0);

    const upStarted = Date.now();
    const up = runBin('vppkit', ['up'], { cwd, timeoutMs: 600_000 });
    expect(up.status, `${up.stderr}\n${up.stdout}`).toBe(0);
    const upSeconds = (Date.now() - upStarted) / 1000;

    const seen = new Map<string, string>();
    const figures: string[] = [];
    const stepsStarted = Date.now();
    for (const step of steps) {
      expect(step.run.startsWith(KIT), step.run).toBe(true);
      const args = relocate(step.run).slice(KIT.length).split(' ');
      const result = runBin('vppkit', args, { cwd, timeoutMs: 15_000 });
      expect(result.status, `${step.run}\n${result.stdout}${result.stderr}`).toBe(0);
      if (/ echo-client /.test(step.run)) expect(result.stdout).toMatch(/ (\d+)\/\1 echoed /);
      const grows = growsIn(step.shows);
      if (grows) {
        const earlier = seen.get(step.run);
        expect(earlier, `${step.run} earlier in the steps, for the first look`).toBeDefined();
        const [was, is] = [counters(step.run, earlier!), counters(step.run, result.stdout)];
        for (const counter of grows.counters) {
          const [from, to] = [countOf(was, grows.row, counter), countOf(is, grows.row, counter)];
          figures.push(`${grows.row} ${counter} ${from} -> ${to}`);
          expect(to, `${grows.row} ${counter} in\n${result.stdout}`).toBeGreaterThan(from);
        }
      }
      seen.set(step.run, result.stdout);
    }
    console.log(`[see it work] ${flag}: up ${upSeconds.toFixed(1)} s, steps ${((Date.now() - stepsStarted) / 1000).toFixed(1)} s; ${figures.join(', ')}`);
    expect(runBin('vppkit', ['down'], { cwd }).status).toBe(0);
  });
});
