import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { runBin } from '../support/run-bin.js';
import { scratchProjects } from '../support/scratch-projects.js';

const tier = inject('vppTier');

// The memif template (memif-echo) at the edges of what the lab schema lets a user write: as many
// queues as libmemif allows, and buffers smaller than the frames, which VPP then sends, and expects
// back, as chains of buffers.
describe.skipIf(!tier.run)('the memif template on a real VPP: every queue count, chained buffers', () => {
  const id = Math.random().toString(16).slice(2, 6);
  const scratch = scratchProjects('vppkit-tpl-memif-', `tpl${id}-`);
  const made = scratch.made;

  /** create-vpp-app --memif, with these memif options on its app, brought up. */
  async function upWith(suffix: string, memifOptions: string): Promise<string> {
    const name = `tpl${id}-${suffix}`;
    const created = runBin('create-vpp-app', [name, '--memif', '--vpp-prefix', tier.prefix!], { cwd: scratch.work });
    expect(created.status, created.stderr).toBe(0);
    made.push(name);
    const cwd = join(scratch.work, name);
    await appendFile(join(cwd, 'vppkit.yaml'), `    memif: ${memifOptions}\n`);
    const up = runBin('vppkit', ['up'], { cwd, timeoutMs: 600_000 });
    const logs = runBin('vppkit', ['logs', 'app'], { cwd });
    expect(up.status, `${up.stderr}\n${up.stdout}\napp's log:\n${logs.stdout}${logs.stderr}`).toBe(0);
    return cwd;
  }

  const vppctl = (cwd: string, ...args: string[]): string => runBin('vppkit', ['vppctl', ...args], { cwd }).stdout;
  const appIp = (cwd: string): string => {
    const shown = runBin('vppkit', ['exec', 'app', '--', 'printenv', 'VPPKIT_APP_ADDRESS'], { cwd });
    expect(shown.stdout, `vppkit exec app: ${shown.stderr}`).toMatch(/^\d+\.\d+\.\d+\.\d+\/\d+\n$/);
    return shown.stdout.split('/')[0]!;
  };

  it('255 queue pairs (the schema\'s and libmemif\'s most): memif-echo connects with all of them and answers VPP\'s ping; a ring over libmemif\'s 16,384 descriptors is refused at start, saying why', async () => {
    const cwd = await upWith('q255', '{ queues: 255, ring-size: 256 }');
    expect(runBin('vppkit', ['logs', 'app'], { cwd }).stdout).toContain('memif-echo: connected (interrupt mode, 255 queues)');
    const shown = vppctl(cwd, 'show', 'memif', 'memif0/0');
    expect([...shown.matchAll(/^\s+(?:slave-to-master|master-to-slave) ring \d+:/gm)].length).toBe(2 * 255);
    expect(vppctl(cwd, 'ping', appIp(cwd), 'repeat', '5', 'interval', '0.2')).toMatch(/Statistics: 5 sent, [45] received/);
    const ring = runBin('vppkit', ['exec', 'app', '--', 'env', 'VPPKIT_MEMIF_RING_SIZE=32768', 'memif-echo'], { cwd });
    expect(ring.status).toBe(2);
    expect(ring.stderr).toContain('memif-echo: VPPKIT_MEMIF_RING_SIZE=32768 is not a number from 2 to 16384 (libmemif\'s rings hold at most 2^14 descriptors)');
    expect(runBin('vppkit', ['down'], { cwd }).status).toBe(0);
  });

  it('128-byte buffers: frames of 1,042 and 8,042 bytes arrive in chains of 9 and 63 buffers, and go back as chains', async () => {
    const cwd = await upWith('chain', '{ buffer-size: 128 }');
    const ip = appIp(cwd);
    expect(vppctl(cwd, 'ping', ip, 'repeat', '5', 'interval', '0.2')).toMatch(/Statistics: 5 sent, [45] received/);
    // ICMP data of 1,000 and 8,000 bytes: Ethernet frames of 1,042 and 8,042 bytes, 9 and 63 buffers each.
    for (const size of ['1000', '8000']) {
      expect(vppctl(cwd, 'ping', ip, 'size', size, 'repeat', '5', 'interval', '0.2'), `ping size ${size}`).toMatch(/Statistics: 5 sent, 5 received/);
    }
    expect(runBin('vppkit', ['down'], { cwd }).status).toBe(0);
  });
});
