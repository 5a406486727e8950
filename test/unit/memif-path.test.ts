import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Plan, PlannedContainer } from '../../src/plan/plan-types.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import { issuesOf, lab, yaml } from '../support/lab-fixtures.js';
import { repoRoot } from '../support/run-bin.js';

const planOf = (memif: string, extra = ''): Plan => buildPlan(lab(yaml('name: demo', `apps: [{ name: app, path: memif${extra}, memif: ${memif} }]`)));
const appOf = (plan: Plan): PlannedContainer => plan.containers.find((c) => c.node === 'app')!;

describe('memif options stay within what libmemif, DPDK\'s net_memif and VPP accept', () => {
  it('takes ring-size 16384, the largest ring of the memif protocol (2^14)', () => {
    expect(planOf('{ ring-size: 16384 }').vpp.setupCli).toContain(' ring-size 16384 ');
  });

  it('refuses ring-size 32768, which VPP\'s CLI takes but libmemif and net_memif refuse', () => {
    const issues = issuesOf(yaml('name: demo', 'apps: [{ name: a, path: memif, memif: { ring-size: 32768 } }]'));
    expect(issues).toEqual([
      expect.objectContaining({ path: 'apps[0].memif.ring-size', fix: 'use a power of two up to 16384 (2^14, the memif protocol\'s largest ring)' }),
    ]);
  });

  it('refuses a 24-character secret: libmemif, net_memif and VPP send at most 23', () => {
    const issues = issuesOf(yaml('name: demo', 'apps: [{ name: a, path: memif, memif: { secret: abcdefghijklmnopqrstuvwx } }]'));
    expect(issues).toEqual([expect.objectContaining({ path: 'apps[0].memif.secret', fix: 'use up to 23 characters, without spaces, commas or "="' })]);
    expect(planOf('{ secret: abcdefghijklmnopqrstuvw }').vpp.setupCli).toContain(' secret abcdefghijklmnopqrstuvw\n');
  });

  it('refuses a secret with a comma or "=", which would break DPDK\'s --vdev arguments', () => {
    for (const secret of ['a,b', 'a=b']) {
      expect(issuesOf(yaml('name: demo', `apps: [{ name: a, path: memif, memif: { secret: "${secret}" } }]`))).toEqual([
        expect.objectContaining({ path: 'apps[0].memif.secret' }),
      ]);
    }
  });
});

describe('memif: what the app is handed', () => {
  it('gets the socket, id, role, mode, sizes, MACs and a ready-made DPDK --vdev in its environment', () => {
    const env = appOf(planOf('{ id: 3, secret: s3cret, ring-size: 2048, buffer-size: 4096, queues: 2 }')).env;
    expect(env).toMatchObject({
      VPPKIT_MEMIF_SOCKET: '/run/vpp/memif.sock',
      VPPKIT_MEMIF_ID: '3',
      VPPKIT_MEMIF_ROLE: 'slave',
      VPPKIT_MEMIF_MODE: 'ethernet',
      VPPKIT_MEMIF_RING_SIZE: '2048',
      VPPKIT_MEMIF_BUFFER_SIZE: '4096',
      VPPKIT_MEMIF_QUEUES: '2',
      VPPKIT_MEMIF_SECRET: 's3cret',
    });
    expect(env.VPPKIT_MEMIF_VPP_MAC).toMatch(/^02:56:50(:[0-9a-f]{2}){3}$/);
    expect(env.VPPKIT_MEMIF_APP_MAC).toBe(env.VPPKIT_MEMIF_VPP_MAC!.replace(/^02:56:50/, '02:41:50'));
    expect(env.VPPKIT_MEMIF_DPDK_VDEV).toBe(
      `net_memif0,socket=/run/vpp/memif.sock,socket-abstract=no,id=3,role=client,rsize=11,bsize=4096,mac=${env.VPPKIT_MEMIF_APP_MAC},secret=s3cret`,
    );
  });

  it('gives an app that is memif master role=server in the --vdev', () => {
    expect(appOf(planOf('{ role: master, socket: a.sock }')).env.VPPKIT_MEMIF_DPDK_VDEV).toMatch(/^net_memif0,socket=\/run\/vpp\/a\.sock,socket-abstract=no,id=0,role=server,rsize=10,bsize=2048,mac=/);
  });

  it('has no MACs and no --vdev in ip mode (net_memif speaks ethernet only)', () => {
    const env = appOf(planOf('{ mode: ip }')).env;
    expect(env.VPPKIT_MEMIF_MODE).toBe('ip');
    expect(Object.keys(env).filter((key) => /MAC|VDEV/.test(key))).toEqual([]);
  });

  it('gives VPP\'s memif that MAC, after buffer-size: VPP\'s CLI stores buffer-size in 4 bytes of a 2-byte field and wipes an hw-addr before it', () => {
    const plan = planOf('{}');
    const line = plan.vpp.setupCli.split('\n').find((l) => l.startsWith('create interface memif'))!;
    expect(line).toBe(`create interface memif id 0 socket-id 0 master ring-size 1024 buffer-size 2048 hw-addr ${appOf(plan).env.VPPKIT_MEMIF_VPP_MAC} rx-queues 1 tx-queues 1`);
    expect(planOf('{ mode: ip }').vpp.setupCli).not.toContain('hw-addr');
  });

  it('MACs are stable across runs and differ between apps', () => {
    const two = buildPlan(lab(yaml('name: demo', 'apps: [{ name: a, path: memif }, { name: b, path: memif }]')));
    const again = buildPlan(lab(yaml('name: demo', 'apps: [{ name: a, path: memif }, { name: b, path: memif }]')));
    const macs = (plan: Plan) => plan.containers.filter((c) => c.role !== 'vpp').map((c) => c.env.VPPKIT_MEMIF_VPP_MAC);
    expect(macs(two)).toEqual(macs(again));
    expect(new Set(macs(two)).size).toBe(2);
  });
});

describe('memif: readiness and the smoke check ask VPP only', () => {
  it('runs every check in VPP\'s container, none in the app\'s (an app image need not have any tool)', () => {
    const plan = planOf('{}');
    for (const check of [...plan.vppReady, ...plan.appsReady, ...plan.smoke]) expect(check.node).toBe('vpp');
  });

  it('the smoke check pings the app and passes on an answer, or on frames both ways through the memif', () => {
    const [smoke] = planOf('{}').smoke;
    expect(smoke!.description).toMatch(/^VPP pings app at 10\.\d+\.1\.2$/);
    expect(smoke!.run.kind).toBe('exec');
    if (smoke!.run.kind !== 'exec') return;
    expect(smoke!.run.cmd.slice(0, 2)).toEqual(['sh', '-c']);
    expect(smoke!.run.cmd.slice(3)).toEqual(['memif-smoke', 'memif0/0', smoke!.description.split(' ').at(-1)]);
  });
});

describe('the README\'s section on bringing your own memif app', () => {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Bring your own memif app'), readme.indexOf('\n## ', readme.indexOf('### Bring your own memif app')));

  it('has a row for every VPPKIT_MEMIF_ variable an app gets', () => {
    const env = appOf(planOf('{ secret: s3cret }')).env;
    const memifKeys = Object.keys(env).filter((key) => key.startsWith('VPPKIT_MEMIF_'));
    expect(memifKeys.length).toBeGreaterThanOrEqual(11);
    for (const key of memifKeys) expect(section).toMatch(new RegExp(`^\\| \`${key}\` \\|`, 'm'));
  });

  it('shows a --vdev value as the plan makes it', () => {
    const { env } = appOf(buildPlan(lab(yaml('name: demo', 'apps: [{ name: app, path: memif }]'))));
    expect(section).toContain(`\`${env.VPPKIT_MEMIF_DPDK_VDEV}\``);
  });
});
