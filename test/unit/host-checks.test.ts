import { describe, expect, it } from 'vitest';
import { hugepageBytesNeeded, hugepageCheck, hugepageState, memlockCheck, xdpSocketsCheck } from '../../src/engine/host-checks.js';
import { engineIsLocal } from '../../src/engine/preflight.js';

const MEMINFO = 'HugePages_Total:     256\nHugePages_Free:      200\nHugePages_Rsvd:        0\nHugepagesize:       2048 kB\n';
const MOUNTED = 'nodev /dev/hugepages hugetlbfs rw,relatime,pagesize=2M 0 0\n';

describe('host checks', () => {
  it('read hugepages from /proc/meminfo and the hugetlbfs mount from /proc/mounts', () => {
    expect(hugepageState(MEMINFO, MOUNTED)).toEqual({ total: 256, free: 200, sizeKb: 2048, mounted: true });
    expect(hugepageCheck(hugepageState(MEMINFO, MOUNTED))).toMatchObject({ level: 'ok', detail: '200 of 256 free (2 MB each), hugetlbfs at /dev/hugepages' });
  });

  it('warn, with the fix, when no hugepages are reserved or hugetlbfs is not mounted, blocking only labs that ask for them', () => {
    const none = hugepageCheck(hugepageState('HugePages_Total: 0\nHugePages_Free: 0\nHugepagesize: 2048 kB\n', ''));
    expect(none).toMatchObject({ level: 'warn', blocks: ['vpp.hugepages'] });
    expect(none.fix).toMatch(/nr_hugepages/);
    expect(hugepageCheck(hugepageState(MEMINFO, '')).detail).toBe('256 reserved, but no hugetlbfs at /dev/hugepages');
  });

  it('count the heap plus room for buffers when sizing hugepages', () => {
    expect(hugepageBytesNeeded('256M')).toBe(320 * 2 ** 20);
    expect(hugepageBytesNeeded('1G')).toBe(1088 * 2 ** 20);
  });

  it('fail AF_XDP on kernels before 5.4 or without xsk symbols', () => {
    expect(xdpSocketsCheck(['af_xdp'], '4.19.0-21-amd64', undefined)).toMatchObject({ level: 'fail', blocks: ['af_xdp'] });
    expect(xdpSocketsCheck(['af_xdp'], '6.1.0-18-amd64', '0000 T tcp_v4_rcv\n')).toMatchObject({ level: 'fail' });
    expect(xdpSocketsCheck(['af_xdp'], '6.1.0-18-amd64', '0000 T xsk_socket_create\n')).toMatchObject({ level: 'ok' });
  });

  it('report the memlock limit as no limit for labs, since VPP holds IPC_LOCK', () => {
    const check = memlockCheck('Max locked memory         8388608              8388608              bytes\n');
    expect(check).toMatchObject({ level: 'ok', blocks: [] });
    expect(check.detail).toMatch(/^8192 KiB; /);
  });

  it('check the host only when the engine runs on it', () => {
    expect(engineIsLocal({})).toBe(true);
    expect(engineIsLocal({ DOCKER_HOST: 'unix:///run/user/1000/docker.sock' })).toBe(true);
    expect(engineIsLocal({ DOCKER_HOST: 'tcp://10.0.0.5:2376' })).toBe(false);
    expect(engineIsLocal({ DOCKER_HOST: 'ssh://me@build-box' })).toBe(false);
  });
});
