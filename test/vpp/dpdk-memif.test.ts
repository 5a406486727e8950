import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { resolveBaseImage } from '../../src/config/defaults.js';
import { testPoolLine } from '../support/engine-lab.js';
import { engineClient, labLeftovers, untagLabImages } from '../support/engine.js';
import { runBin } from '../support/run-bin.js';

const tier = inject('vppTier');

/** VPP's frame counters on one interface, from `show interface`: VPP prints no line for a counter at 0. */
function frames(showInterface: string): { rx: number; tx: number } {
  const count = (direction: string) => Number(new RegExp(`\\b${direction} packets\\s+(\\d+)`).exec(showInterface)?.[1] ?? 0);
  return { rx: count('rx'), tx: count('tx') };
}

// A memif app nobody here wrote: Debian's DPDK (dpdk-testpmd with net_memif), in an image of its own
// on plain Debian, not on a kit image, brought up through the CLI as the README shows.
describe.skipIf(!tier.run)('a DPDK app over memif (Debian\'s dpdk-testpmd, net_memif)', () => {
  let dir: string;
  const name = `mem${Math.random().toString(16).slice(2, 8)}`;
  const vppkit = (args: string[]) => runBin('vppkit', args, { cwd: dir, timeoutMs: 600_000 });

  /** The lab as the README shows it, with a secret and a ring size net_memif must take from the environment. */
  const writeLab = (forwardMode: string, memif = '{ ring-size: 2048, secret: s3cret-dpdk }') =>
    writeFile(
      join(dir, 'vppkit.yaml'),
      [
        `name: ${name}`,
        testPoolLine(name),
        'vpp:',
        `  prefix: ${tier.prefix}`,
        'apps:',
        '  - name: testpmd',
        '    path: memif',
        '    build: ./testpmd',
        `    memif: ${memif}`,
        // No hugepages: net_memif (not zero-copy) shares memfd regions of its own. Both lcores on CPU 0,
        // so the polling one takes one CPU at most. icmpecho answers ARP and pings. Without a terminal,
        // testpmd waits for Enter and quits on stdin's end, unless it prints stats periodically.
        '    command: >-',
        '      exec dpdk-testpmd --no-huge -m 256 --no-pci --lcores=0@0,1@0 "--vdev=$VPPKIT_MEMIF_DPDK_VDEV"',
        `      -- --total-num-mbufs=4096 --no-mlockall --forward-mode=${forwardMode} --auto-start --stats-period 60`,
        '',
      ].join('\n'),
    );

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vppkit-dpdk-'));
    await mkdir(join(dir, 'testpmd'));
    // Debian ships dpdk-testpmd in dpdk-dev; the memif PMD and the ring mempool are plugins of their own.
    await writeFile(
      join(dir, 'testpmd/Dockerfile'),
      [
        `FROM ${resolveBaseImage()}`,
        'RUN apt-get update && apt-get install -y --no-install-recommends dpdk-dev librte-net-memif23 librte-mempool-ring23 && rm -rf /var/lib/apt/lists/*',
        '',
      ].join('\n'),
    );
    await writeLab('icmpecho');
  });
  afterAll(async () => {
    vppkit(['down']);
    await rm(dir, { recursive: true, force: true });
    await untagLabImages(engineClient(), name);
  });

  it('comes up connected, passes check, and VPP pings through it, frames counted both ways; check passes on counters for an app that reflects frames and fails for one that only takes them; the app as memif master', async () => {
    const started = Date.now();
    const up = vppkit(['up']);
    const upSeconds = (Date.now() - started) / 1000;
    expect(up.status, up.stderr + up.stdout).toBe(0);
    expect(up.stdout).toMatch(/^Lab mem\w+ is up: vpp \(created\), testpmd \(created\)\./m);
    console.info(`vppkit up with testpmd: ${upSeconds.toFixed(1)} s`);

    const check = vppkit(['check']);
    expect(check.status, check.stdout).toBe(0);
    const appIp = /^ok {3}VPP pings testpmd at (10\.\d+\.\d+\.\d+)$/m.exec(check.stdout)?.[1];
    expect(appIp, check.stdout).toBeDefined();

    // net_memif is the memif slave: the rings are its own, sized from VPPKIT_MEMIF_DPDK_VDEV (rsize=11).
    const memif = vppkit(['vppctl', 'show', 'memif', 'memif0/0']).stdout;
    expect(memif).toMatch(/flags admin-up[^\n]*\bconnected\b/);
    expect(memif).toMatch(/remote-name "DPDK \d+\.\d+/);
    expect(memif).toMatch(/ring-size 2048/);

    const before = frames(vppkit(['vppctl', 'show', 'interface', 'memif0/0']).stdout);
    const ping = vppkit(['vppctl', 'ping', appIp!, 'repeat', '5', 'interval', '0.1']);
    expect(ping.stdout).toMatch(/Statistics: 5 sent, 5 received/);
    const after = frames(vppkit(['vppctl', 'show', 'interface', 'memif0/0']).stdout);
    expect(after.tx - before.tx).toBeGreaterThanOrEqual(5);
    expect(after.rx - before.rx).toBeGreaterThanOrEqual(5);

    // An app that sends every frame back without answering pings passes on VPP's counters; one that
    // only takes frames in fails, and the check shows why.
    await writeLab('macswap');
    expect(vppkit(['up']).stdout).toMatch(/is up: vpp \(unchanged\), testpmd \(recreated\)/);
    const reflected = vppkit(['check']);
    expect(reflected.status, reflected.stdout).toBe(0);
    await writeLab('rxonly');
    expect(vppkit(['up']).status).toBe(0);
    const sunk = vppkit(['check']);
    expect(sunk.status).toBe(1);
    expect(sunk.stdout).toMatch(/^FAIL VPP pings testpmd at /m);
    expect(sunk.stdout).toMatch(/memif0\/0: [1-9]\d* frames to the app, 0 from it/);
    expect(sunk.stdout).toMatch(/flags admin-up[^\n]*\bconnected\b/);

    // The app as memif master: the variable says role=server, net_memif listens, VPP dials it.
    await writeLab('icmpecho', '{ role: master, socket: testpmd.sock }');
    expect(vppkit(['up']).status).toBe(0);
    expect(vppkit(['check']).status).toBe(0);
    expect(vppkit(['vppctl', 'show', 'memif', 'memif1/0']).stdout).toMatch(/flags admin-up slave connected/);

    // net_memif does not dial VPP again after VPP restarts: with redials: false the lab's guard restarts
    // it, and the memif is connected again with no vppkit command.
    await writeLab('icmpecho', '{ redials: false }');
    expect(vppkit(['up']).status).toBe(0);
    const vppContainer = `vppkit-${name}_vpp`;
    execFileSync('docker', ['restart', '-t', '1', vppContainer]);
    const restarted = Date.now();
    let healed = false;
    while (!healed && Date.now() - restarted < 45_000) {
      healed = vppkit(['check']).status === 0;
      if (!healed) await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    console.log(`[dpdk memif] redials: false: check passes ${((Date.now() - restarted) / 1000).toFixed(1)} s after docker restart of VPP`);
    expect(healed).toBe(true);

    expect(vppkit(['down']).stdout).toBe(`lab ${name}: removed 2 containers, 0 networks, 1 volumes\n`);
    expect(await labLeftovers(engineClient(), name)).toEqual([]);
  });
});
