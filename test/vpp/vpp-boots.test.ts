import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { copyInto } from '../../src/engine/copy-into.js';
import { execIn } from '../../src/engine/exec.js';
import { ensurePrefixImage } from '../../src/engine/prefix-image.js';
import { pollUntil } from '../../src/util/poll.js';
import { testRun } from '../support/engine.js';

const tier = inject('vppTier');

// The smallest VPP that boots in a container without DPDK or hugepages: 4K buffer pages, only the
// plugins named, its CLI socket on the shared /run/vpp volume.
const STARTUP_CONF = `unix { nodaemon cli-listen /run/vpp/cli.sock log /tmp/vpp.log }
api-trace { on }
socksvr { socket-name /run/vpp/api.sock }
cpu { workers 0 }
buffers { buffers-per-numa 16384 page-size 4K }
plugins { plugin default { disable } plugin memif_plugin.so { enable } plugin ping_plugin.so { enable } }
session { enable }
`;

describe.skipIf(!tier.run)('a VPP built by hand, packed into an image and booted', () => {
  const run = testRun();
  let image: string;
  let vpp: Docker.Container;
  const vppctl = (...args: string[]) => execIn(run.docker, vpp.id, ['vppctl', '-s', '/run/vpp/cli.sock', ...args]);

  beforeAll(async () => {
    ({ tag: image } = await ensurePrefixImage(run.docker, tier.prefix!));
    const volume = await run.docker.createVolume({ Name: `vppkit-test-${run.id}-run`, Labels: run.labels });
    vpp = await run.docker.createContainer({
      Image: image,
      Cmd: ['vpp', '-c', '/etc/vpp/startup.conf'],
      Labels: run.labels,
      HostConfig: {
        CapAdd: ['IPC_LOCK', 'NET_ADMIN', 'SYS_NICE'],
        Binds: [`${volume.name}:/run/vpp`],
      },
    });
    await copyInto(vpp, '/etc/vpp', { 'startup.conf': { content: STARTUP_CONF } });
    await vpp.start();
  });
  afterAll(() => run.cleanup());

  it('answers its CLI without privileges, DPDK or hugepages', async () => {
    const version = await pollUntil(
      'VPP to answer `show version` on /run/vpp/cli.sock',
      async () => {
        const result = await vppctl('show', 'version');
        return result.exitCode === 0 && /vpp v\d/.test(result.stdout)
          ? { done: true, value: result.stdout }
          : { done: false, last: result.stderr || result.stdout };
      },
      { timeoutMs: 60_000 },
    );
    expect(version).toMatch(/^vpp v\d+\.\d+/);
  });

  it('loads exactly the plugins the config enables', async () => {
    const plugins = await vppctl('show', 'plugins');
    expect(plugins.exitCode).toBe(0);
    const loaded = [...plugins.stdout.matchAll(/\b(\w+_plugin\.so)\b/g)].map((match) => match[1]).sort();
    expect(loaded).toEqual(['memif_plugin.so', 'ping_plugin.so']);
  });

  it('reuses the image when the prefix has not changed', async () => {
    const again = await ensurePrefixImage(run.docker, tier.prefix!);
    expect(again).toMatchObject({ tag: image, built: false });
  });
});
