import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLab } from '../../src/lab/load-lab.js';
import { repoRoot, runBin } from '../support/run-bin.js';

const VERSION = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'vppkit-readme-'));
});
afterAll(() => rm(work, { recursive: true, force: true }));

/** The README's "See it work": its text before the table, and the table's rows. */
function seeItWork(readme: string): { crosses: string; steps: { run: string; shows: string }[] } {
  const section = readme.split('\n## See it work\n')[1]!.split('\n## ')[0]!;
  return {
    crosses: section.split('\n|')[0]!.trim(),
    steps: [...section.matchAll(/^\| `([^`]+)` \| (.+) \|$/gm)].map((match) => ({ run: match[1]!, shows: match[2]! })),
  };
}

describe.each([
  ['--memif', 'memif'],
  ['--tap', 'tap'],
  ['--af-xdp', 'af_xdp'],
  ['--af-packet', 'af_packet'],
  ['--vcl', 'vcl'],
  ['--vcl-ldpreload', 'vcl-ldpreload'],
])('create-vpp-app %s: the README\'s "See it work"', (flag, path) => {
  let readme: string;
  let labFile: string;
  beforeAll(async () => {
    // One name for every path: the golden files differ only where the paths do.
    const dir = join(work, path);
    const created = runBin('create-vpp-app', [join(dir, 'hello'), flag], { cwd: work, env: { npm_config_user_agent: 'npm/10.8.2 node/v20.19.0 linux x64' } });
    expect(created.status, created.stderr).toBe(0);
    readme = await readFile(join(dir, 'hello/README.md'), 'utf8');
    labFile = await readFile(join(dir, 'hello/vppkit.yaml'), 'utf8');
  });

  it('renders as in its golden file', async () => {
    await expect(readme.replaceAll(VERSION, '<version>')).toMatchFileSnapshot(`./golden/${path}/README.md`);
  });

  it('looks at a VPP counter before and after the traffic, with the same command', () => {
    const { steps } = seeItWork(readme);
    const grows = steps.findIndex((step) => /^`[^`]+`'s .+ (?:is|are) higher than at the first look: /.test(step.shows));
    expect(grows, readme).toBeGreaterThan(0);
    const firstLook = steps.findIndex((step) => step.run === steps[grows]!.run);
    expect(firstLook).toBeLessThan(grows);
    expect(steps.slice(firstLook + 1, grows).length, 'the traffic between the two looks').toBeGreaterThan(0);
    expect(steps[grows]!.run).toMatch(/^npx vppkit vppctl show (interface|errors)$/);
  });

  it('sends the traffic across VPP, never from the app to its own kernel address', () => {
    const lab = parseLab(labFile, join(work, path, 'hello/vppkit.yaml'));
    const app = lab.apps[0]!;
    const { crosses, steps } = seeItWork(readme);
    const runs = steps.map((step) => step.run);
    if (['tap', 'af_xdp', 'af_packet'].includes(path)) {
      // A kernel interface: the app reaches only itself from inside; the peer's TCP is VPP's.
      expect(lab.apps.map((candidate) => [candidate.name, candidate.path])).toEqual([['app', path], ['peer', 'vcl-ldpreload']]);
      expect(runs).toContain(`npx vppkit exec peer -- echo-client -n 5 ${app.link.app.ip}`);
      expect(runs.filter((run) => run.startsWith('npx vppkit exec app'))).toEqual([]);
      expect(crosses).toContain(`from its own address on the link, ${app.link.vpp.ip}, to app's echo-server at ${app.link.app.ip}`);
    } else {
      expect(lab.apps).toHaveLength(1);
      if (path === 'memif') expect(runs).toContain(`npx vppkit vppctl ping ${app.link.app.ip}`);
      else expect(crosses).toContain('cut-through');
    }
  });
});
