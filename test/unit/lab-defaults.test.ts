import { describe, expect, it } from 'vitest';
import { DEFAULT_VPP_RELEASE } from '../../src/config/defaults.js';
import { formatInterfaceAddress, formatNetwork } from '../../src/lab/ipv4.js';
import { releaseSources, type ReleaseSource } from '../../src/lab/lab-core.js';
import { lab, yaml } from '../support/lab-fixtures.js';

const links = (source: string) =>
  lab(source).apps.map((app) => ({ app: formatInterfaceAddress(app.link.app), vpp: formatInterfaceAddress(app.link.vpp) }));

describe('a lab needs only a name and one app with a path', () => {
  const minimal = lab(yaml('name: demo', 'apps:', '  - name: app', '    path: memif'));

  it('fills in VPP: the pinned FD.io release, no workers, no hugepages, nothing privileged', () => {
    expect(minimal.vpp).toEqual({
      source: { kind: 'release', release: DEFAULT_VPP_RELEASE },
      workers: 0,
      hugepages: false,
      plugins: [],
      startup: {},
      cli: [],
      privileged: false,
    });
  });

  it('builds the app from the lab file\'s folder, with memif defaults VPP and libmemif share', () => {
    const [app] = minimal.apps;
    expect(app).toMatchObject({ source: { kind: 'build', context: '/labs/demo' }, port: 7000, privileged: false, env: {} });
    expect(app!.options).toEqual({ id: 0, socket: '/run/vpp/memif.sock', appRole: 'slave', mode: 'ethernet', ringSize: 1024, bufferSize: 2048, queues: 1, redials: true });
  });

  it('resolves build folders relative to the lab file', () => {
    expect(lab(yaml('name: demo', 'apps: [{ name: app, path: memif, build: ./app }]')).apps[0]!.source).toEqual({ kind: 'build', context: '/labs/demo/app' });
    expect(lab(yaml('name: demo', 'vpp: { prefix: ../vpp/install }', 'apps: [{ name: app, path: memif }]')).vpp.source).toEqual({
      kind: 'prefix',
      prefix: '/labs/vpp/install',
    });
  });

  it('takes a mirror of FD.io\'s packages for a release; its key and VPP\'s source default to FD.io\'s', () => {
    const mirrored = lab(yaml('name: demo', 'vpp:', '  release: "25.10"', '  apt-repository: http://mirror.example/fdio/2510/', 'apps: [{ name: a, path: memif }]')).vpp.source;
    expect(mirrored).toEqual({ kind: 'release', release: '25.10', aptRepository: 'http://mirror.example/fdio/2510' });
    expect(releaseSources(mirrored as ReleaseSource)).toEqual({
      aptRepository: 'http://mirror.example/fdio/2510',
      aptKey: 'http://mirror.example/fdio/2510/gpgkey',
      sourceTarball: 'https://github.com/FDio/vpp/archive/{ref}.tar.gz',
    });
    const given = lab(
      yaml('name: demo', 'vpp:', '  apt-key: http://keys.example/fdio.asc', '  source-tarball: http://src.example/vpp-{ref}.tar.gz', 'apps: [{ name: a, path: memif }]'),
    ).vpp.source as ReleaseSource;
    expect(releaseSources(given)).toEqual({
      aptRepository: 'https://packagecloud.io/fdio/2606',
      aptKey: 'http://keys.example/fdio.asc',
      sourceTarball: 'http://src.example/vpp-{ref}.tar.gz',
    });
  });

  it('runs a string command through the shell and keeps a list as it is', () => {
    const apps = lab(yaml('name: demo', 'apps:', '  - { name: a, path: memif, command: "./app -v" }', '  - { name: b, path: vcl, command: [./app, -v] }')).apps;
    expect(apps.map((app) => app.command)).toEqual([['/bin/sh', '-c', './app -v'], ['./app', '-v']]);
  });

  it('turns env values into strings', () => {
    expect(lab(yaml('name: demo', 'apps: [{ name: a, path: memif, env: { N: 3, ON: true } }]')).apps[0]!.env).toEqual({ N: '3', ON: 'true' });
  });
});

describe('addresses', () => {
  it('come from a per-lab /16, one /24 per app, VPP on .1 and the app on .2', () => {
    const demo = lab(yaml('name: demo', 'apps:', '  - { name: a, path: memif }', '  - { name: b, path: tap }'));
    const pool = formatNetwork(demo.pool);
    expect(pool).toMatch(/^10\.1\d\d\.0\.0\/16$/);
    const prefix = pool.split('.').slice(0, 2).join('.');
    expect(links(yaml('name: demo', 'apps:', '  - { name: a, path: memif }', '  - { name: b, path: tap }'))).toEqual([
      { app: `${prefix}.1.2/24`, vpp: `${prefix}.1.1/24` },
      { app: `${prefix}.2.2/24`, vpp: `${prefix}.2.1/24` },
    ]);
  });

  it('are the same on every run', () => {
    const source = yaml('name: stable', 'apps: [{ name: a, path: memif }, { name: b, path: af_xdp }]');
    expect(links(source)).toEqual(links(source));
  });

  it('differ between labs with different names', () => {
    const pools = new Set(['alpha', 'beta', 'gamma', 'delta'].map((name) => formatNetwork(lab(yaml(`name: ${name}`, 'apps: [{ name: a, path: memif }]')).pool)));
    expect(pools.size).toBe(4);
  });

  it('take the pool the lab gives', () => {
    expect(links(yaml('name: demo', 'pool: 172.30.0.0/16', 'apps: [{ name: a, path: memif }]'))).toEqual([{ app: '172.30.1.2/24', vpp: '172.30.1.1/24' }]);
  });

  it('keep an app\'s own address and give VPP the first free host beside it', () => {
    expect(links(yaml('name: demo', 'apps: [{ name: a, path: memif, address: 192.168.7.9/24 }]'))).toEqual([{ app: '192.168.7.9/24', vpp: '192.168.7.1/24' }]);
    expect(links(yaml('name: demo', 'apps: [{ name: a, path: memif, address: 192.168.7.1/24 }]'))).toEqual([{ app: '192.168.7.1/24', vpp: '192.168.7.2/24' }]);
  });

  it('skip the subnets apps give themselves when handing out the rest', () => {
    const result = links(yaml('name: demo', 'pool: 10.9.0.0/16', 'apps:', '  - { name: a, path: memif }', '  - { name: b, path: memif, address: 10.9.1.5/24 }'));
    expect(result).toEqual([
      { app: '10.9.2.2/24', vpp: '10.9.2.1/24' },
      { app: '10.9.1.5/24', vpp: '10.9.1.1/24' },
    ]);
  });

  it('for vcl paths, are one address VPP hosts for the app', () => {
    expect(links(yaml('name: demo', 'pool: 10.9.0.0/16', 'apps: [{ name: a, path: vcl }]'))).toEqual([{ app: '10.9.1.1/24', vpp: '10.9.1.1/24' }]);
  });
});
