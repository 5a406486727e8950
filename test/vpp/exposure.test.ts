import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { execIn } from '../../src/engine/exec.js';
import { labContainers } from '../../src/engine/lab-state.js';
import { engineClient, untagLabImages } from '../support/engine.js';
import { repoRoot, runBin } from '../support/run-bin.js';

const tier = inject('vppTier');

/** TCP sockets in LISTEN state (st 0A) in a container's network namespace, as /proc shows them. */
async function tcpListeners(id: string): Promise<string[]> {
  const result = await execIn(engineClient(), id, ['cat', '/proc/net/tcp', '/proc/net/tcp6']);
  return result.stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields[3] === '0A')
    .map((fields) => fields[1]!);
}

// Least exposure: VPP's CLI and API are unix sockets in the lab's volume, never TCP, and no container
// publishes a port on the host (the lab file has no way to ask for one).
describe.skipIf(!tier.run)('what a lab exposes, on a real VPP', () => {
  let dir: string;
  const lab = `x${Math.random().toString(16).slice(2, 8)}`;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vppkit-exposure-'));
    await cp(join(repoRoot, 'templates/memif'), join(dir, 'memif'), { recursive: true });
    await cp(join(repoRoot, 'templates/vcl'), join(dir, 'vcl'), { recursive: true });
    await writeFile(
      join(dir, 'vppkit.yaml'),
      `name: ${lab}\nvpp:\n  prefix: ${tier.prefix}\napps:\n  - { name: pkt, path: memif, build: ./memif }\n  - { name: sock, path: vcl, build: ./vcl }\n`,
    );
    const up = runBin('vppkit', ['up'], { cwd: dir, timeoutMs: 900_000 });
    expect(up.status, up.stderr).toBe(0);
  }, 900_000);

  afterAll(async () => {
    runBin('vppkit', ['down'], { cwd: dir });
    await rm(dir, { recursive: true, force: true });
    await untagLabImages(engineClient(), lab);
  });

  it('publishes no port of any container on the host', async () => {
    const containers = await labContainers(engineClient(), lab);
    expect(containers.map((container) => container.node).sort()).toEqual(['pkt', 'sock', 'vpp']);
    for (const container of containers) {
      const info = await engineClient().getContainer(container.id).inspect();
      expect(info.HostConfig.PortBindings ?? {}, container.node).toEqual({});
      expect(info.HostConfig.PublishAllPorts, container.node).toBe(false);
      expect(Object.values(info.NetworkSettings.Ports ?? {}).filter(Boolean), container.node).toEqual([]);
    }
  });

  it('VPP listens on no TCP port: its CLI and API are unix sockets, and the VCL app\'s listener is in VPP\'s own stack', async () => {
    const vpp = (await labContainers(engineClient(), lab)).find((container) => container.node === 'vpp')!;
    expect(await tcpListeners(vpp.id)).toEqual([]);
    const sockets = await execIn(engineClient(), vpp.id, ['sh', '-c', 'ls /run/vpp']);
    expect(sockets.stdout.split('\n')).toEqual(expect.arrayContaining(['cli.sock', 'api.sock']));
    const check = runBin('vppkit', ['check'], { cwd: dir });
    expect(check.status, check.stdout).toBe(0);
  });
});
