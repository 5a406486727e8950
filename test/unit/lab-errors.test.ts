import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatIssue, LabFileError } from '../../src/lab/lab-error.js';
import { loadLab } from '../../src/lab/load-lab.js';
import { issuesOf, yaml } from '../support/lab-fixtures.js';

/** The one issue a lab produces, as line, column, path and message (and the fix, when asked). */
function only(source: string) {
  const issues = issuesOf(source);
  expect(issues, issues.map(formatIssue).join('\n')).toHaveLength(1);
  return issues[0]!;
}

describe('lab file errors carry line, column and a fix', () => {
  it('malformed YAML', () => {
    const issue = only(yaml('name: demo', 'apps:', '  - name: app', '    path: memif', '  bad'));
    expect(issue).toMatchObject({ file: '/labs/demo/vppkit.yaml', line: 5, column: 1 });
    expect(issue.message).toBe('YAML: All mapping items must start at the same column');
    expect(issue.fix).toMatch(/YAML syntax/);
  });

  it('a key given twice', () => {
    expect(only(yaml('name: demo', 'name: again', 'apps: [{ name: app, path: memif }]'))).toMatchObject({
      line: 2,
      column: 1,
      message: 'YAML: the key "name" is given twice',
      fix: 'keep one of the two keys',
    });
  });

  it('an unknown key, with the key it probably meant', () => {
    expect(only(yaml('name: demo', 'apps:', '  - name: app', '    path: memif', '    memif:', '      ringsize: 512'))).toMatchObject({
      line: 6,
      column: 7,
      path: 'apps[0].memif.ringsize',
      message: 'unknown key "ringsize"',
      fix: 'did you mean "ring-size"?',
    });
  });

  it('an unknown key with no near match lists the known ones', () => {
    const issue = only(yaml('name: demo', 'colour: blue', 'apps: [{ name: app, path: memif }]'));
    expect(issue).toMatchObject({ line: 2, column: 1, message: 'unknown key "colour"' });
    expect(issue.fix).toBe('known keys here: name, pool, vpp, apps');
  });

  it('an unknown path, with the path it probably meant', () => {
    expect(only(yaml('name: demo', 'apps:', '  - name: app', '    path: memf'))).toMatchObject({
      line: 4,
      column: 11,
      message: '"memf" is not one of memif, tap, af_xdp, af_packet, vcl, vcl-ldpreload',
      fix: 'did you mean "memif"?',
    });
  });

  it('a wrong type: an unquoted release is a number', () => {
    expect(only(yaml('name: demo', 'vpp:', '  release: 26.10', 'apps: [{ name: app, path: memif }]'))).toMatchObject({
      line: 3,
      column: 12,
      path: 'vpp.release',
      message: 'must be a string, not number 26.1',
      fix: 'give a release as "YY.MM" in quotes, e.g. "26.06"',
    });
  });

  it('a missing required key', () => {
    expect(only(yaml('name: demo', 'apps:', '  - name: app'))).toMatchObject({
      line: 3,
      column: 5,
      path: 'apps[0]',
      message: 'missing required key "path"',
      fix: 'add path: memif (or tap, af_xdp, vcl, vcl-ldpreload)',
    });
  });

  it('an empty apps list', () => {
    expect(only(yaml('name: demo', 'apps: []'))).toMatchObject({ line: 2, column: 7, path: 'apps', message: 'must not be empty' });
  });

  it('a lab name that is not a DNS label, with a suggestion', () => {
    expect(only(yaml('name: My_Lab', 'apps: [{ name: app, path: memif }]'))).toMatchObject({
      line: 1,
      column: 7,
      path: 'name',
      message: '"My_Lab" is not a DNS label',
      fix: 'use lowercase letters, digits and \'-\', starting with a letter, at most 40 characters, e.g. "my-lab"',
    });
  });

  it('an app name that is not a DNS label', () => {
    expect(only(yaml('name: demo', 'apps:', '  - name: -app', '    path: memif'))).toMatchObject({ line: 3, column: 11, path: 'apps[0].name' });
  });

  it('an app named like the VPP node', () => {
    expect(only(yaml('name: demo', 'apps:', '  - name: vpp', '    path: memif')).message).toMatch(/taken by the lab's VPP node/);
  });

  it('two apps with one name', () => {
    expect(only(yaml('name: demo', 'apps:', '  - { name: app, path: memif }', '  - { name: app, path: vcl }'))).toMatchObject({
      line: 4,
      column: 13,
      path: 'apps[1].name',
      message: 'apps[0] already has the name "app"',
    });
  });

  it('a bad CIDR', () => {
    expect(only(yaml('name: demo', 'apps:', '  - name: app', '    path: memif', '    address: 10.1.1.300/24'))).toMatchObject({
      line: 5,
      column: 14,
      path: 'apps[0].address',
      message: '"10.1.1.300/24" is not an IPv4 address with a prefix length',
      fix: 'write it like 10.77.1.2/24',
    });
  });

  it('an address without a prefix length', () => {
    expect(only(yaml('name: demo', 'apps: [{ name: app, path: memif, address: 10.1.1.2 }]')).message).toMatch(/not an IPv4 address with a prefix length/);
  });

  it('a network address used as a host address', () => {
    expect(only(yaml('name: demo', 'apps: [{ name: app, path: memif, address: 10.1.1.0/24 }]'))).toMatchObject({
      message: '10.1.1.0 is the network address of 10.1.1.0/24',
      fix: 'use a host address, e.g. 10.1.1.2/24',
    });
  });

  it('a pool with host bits set', () => {
    expect(only(yaml('name: demo', 'pool: 10.77.3.0/16', 'apps: [{ name: app, path: memif }]'))).toMatchObject({
      line: 2,
      column: 7,
      path: 'pool',
      message: '10.77.3.0/16 has host bits set',
      fix: 'did you mean 10.77.0.0/16?',
    });
  });

  it('an address outside its subnet', () => {
    expect(
      only(yaml('name: demo', 'apps:', '  - name: app', '    path: memif', '    address: 10.1.1.2/24', '    vpp-address: 10.1.2.1/24')),
    ).toMatchObject({
      line: 6,
      column: 18,
      path: 'apps[0].vpp-address',
      message: '10.1.2.1/24 is outside the subnet of address 10.1.1.2/24 (10.1.1.0/24)',
    });
  });

  it('two apps in overlapping subnets', () => {
    expect(
      only(yaml('name: demo', 'apps:', '  - { name: a, path: memif, address: 10.1.0.2/16 }', '  - { name: b, path: memif, address: 10.1.5.2/24 }')),
    ).toMatchObject({ line: 4, column: 38, path: 'apps[1].address', message: 'subnet 10.1.5.0/24 overlaps app "a" (10.1.0.0/16)' });
  });

  it('clashing memif ids on one socket', () => {
    expect(
      only(yaml('name: demo', 'apps:', '  - { name: a, path: memif, memif: { id: 3 } }', '  - name: b', '    path: memif', '    memif:', '      id: 3')),
    ).toMatchObject({ line: 7, column: 11, path: 'apps[1].memif.id', message: 'memif id 3 on /run/vpp/memif.sock is already used by app "a"' });
  });

  it('a memif socket an app is master of, shared with another app', () => {
    const issue = only(
      yaml('name: demo', 'apps:', '  - { name: a, path: memif, memif: { socket: a.sock, role: master } }', '  - { name: b, path: memif, memif: { socket: a.sock } }'),
    );
    expect(issue).toMatchObject({ line: 4, path: 'apps[1].memif.socket', fix: 'give this app its own memif.socket, e.g. b.sock' });
    expect(issue.message).toMatch(/an app that is memif master owns its socket alone/);
  });

  it('a memif ring size that is not a power of two', () => {
    expect(only(yaml('name: demo', 'apps: [{ name: a, path: memif, memif: { ring-size: 1000 } }]'))).toMatchObject({
      message: 'ring-size 1000 is not a power of two',
      fix: 'use 512 or 1024',
    });
  });

  it('options for another path', () => {
    expect(only(yaml('name: demo', 'apps:', '  - name: a', '    path: vcl', '    memif: { id: 1 }'))).toMatchObject({
      line: 5,
      column: 12,
      message: 'memif options on an app whose path is vcl',
      fix: 'remove memif: or set path: memif',
    });
  });

  it('two VPP sources', () => {
    expect(only(yaml('name: demo', 'vpp:', '  release: "26.06"', '  prefix: /opt/vpp', 'apps: [{ name: a, path: memif }]'))).toMatchObject({
      line: 4,
      column: 11,
      message: 'give only one of release, image and prefix (release is already given)',
    });
  });

  it('a mirror of FD.io\'s packages for a VPP that does not come from them', () => {
    expect(only(yaml('name: demo', 'vpp:', '  image: registry.example/vpp:26.06', '  apt-repository: https://mirror.example/fdio/2606', 'apps: [{ name: a, path: memif }]'))).toMatchObject({
      line: 4,
      column: 19,
      path: 'vpp.apt-repository',
      message: 'apt-repository goes with VPP from FD.io\'s packages (release), but this lab\'s VPP is the image registry.example/vpp:26.06',
      fix: 'remove vpp.apt-repository, or use release: "26.06" in place of vpp.image',
    });
    const issues = issuesOf(yaml('name: demo', 'vpp:', '  prefix: /opt/vpp', '  apt-key: https://k.example/key', '  source-tarball: https://s.example/{ref}.tgz', 'apps: [{ name: a, path: memif }]'));
    expect(issues.map(formatIssue)).toEqual([
      '/labs/demo/vppkit.yaml:4:12: vpp.apt-key: apt-key goes with VPP from FD.io\'s packages (release), but this lab\'s VPP is the install prefix /opt/vpp (fix: remove vpp.apt-key, or use release: "26.06" in place of vpp.prefix)',
      '/labs/demo/vppkit.yaml:5:19: vpp.source-tarball: source-tarball goes with VPP from FD.io\'s packages (release), but this lab\'s VPP is the install prefix /opt/vpp (fix: remove vpp.source-tarball, or use release: "26.06" in place of vpp.prefix)',
    ]);
  });

  it('a mirror that is not an http(s) URL', () => {
    expect(only(yaml('name: demo', 'vpp:', '  apt-repository: mirror.example/fdio/2606', 'apps: [{ name: a, path: memif }]'))).toMatchObject({
      line: 3,
      column: 19,
      path: 'vpp.apt-repository',
      fix: 'give the repository\'s base URL, e.g. https://packagecloud.io/fdio/2606',
    });
    expect(only(yaml('name: demo', 'vpp:', '  source-tarball: ftp://mirror.example/{ref}.tgz', 'apps: [{ name: a, path: memif }]')).fix).toBe(
      'give an http(s) URL with {ref} where the tag or commit goes, e.g. https://github.com/FDio/vpp/archive/{ref}.tar.gz',
    );
  });

  it('build and image together', () => {
    expect(only(yaml('name: demo', 'apps: [{ name: a, path: memif, build: ., image: x }]')).message).toBe('give build or image, not both');
  });

  it('a startup stanza for a plugin the lab does not load', () => {
    expect(only(yaml('name: demo', 'vpp:', '  startup:', '    dpdk: "dev default { num-rx-queues 2 }"', 'apps: [{ name: a, path: memif }]'))).toMatchObject({
      line: 4,
      column: 11,
      path: 'vpp.startup.dpdk',
      fix: 'add dpdk to vpp.plugins, or remove the stanza',
    });
  });

  it('a plugins stanza, which vppkit renders itself', () => {
    expect(only(yaml('name: demo', 'vpp:', '  startup:', '    plugins: "plugin nat_plugin.so { enable }"', 'apps: [{ name: a, path: memif }]')).fix).toBe(
      'list extra plugins under vpp.plugins instead',
    );
  });

  it('a stanza body whose braces do not balance', () => {
    expect(only(yaml('name: demo', 'vpp:', '  startup:', '    statseg: "size 64M {"', 'apps: [{ name: a, path: memif }]')).message).toBe(
      'the body\'s braces do not balance',
    );
  });

  it('reports every problem at once, in file order', () => {
    const issues = issuesOf(yaml('name: demo', 'apps:', '  - { name: a, path: memif, memif: { ring-size: 1000 } }', '  - { name: a, path: memif, address: 10.0.0.0/24 }'));
    expect(issues.map((issue) => issue.line)).toEqual([3, 4, 4]);
  });

  it('formats issues compiler-style, so editors and terminals link them', () => {
    const error = new LabFileError(issuesOf(yaml('name: demo', 'apps:', '  - name: app', '    path: memf')));
    expect(error.message).toBe('/labs/demo/vppkit.yaml:4:11: apps[0].path: "memf" is not one of memif, tap, af_xdp, af_packet, vcl, vcl-ldpreload (fix: did you mean "memif"?)');
  });

  it('a lab file that does not exist', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vppkit-lab-'));
    try {
      await expect(loadLab(join(dir, 'vppkit.yaml'))).rejects.toThrow(/cannot read the lab file \(ENOENT\).*create-vpp-app, or name another file with -f <file>/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('more lab file errors', () => {
  it('a vcl app with only vpp-address is reported, not a crash', () => {
    const issues = issuesOf(yaml('name: demo', 'apps: [{ name: a, path: vcl, vpp-address: 10.1.1.1/24 }]'));
    expect(issues.map((issue) => issue.message)).toContain('vcl apps have no link of their own: VPP hosts the app\'s address on a loopback');
  });

  it('a memif secret with a space, which would break VPP\'s CLI line', () => {
    const issues = issuesOf(yaml('name: demo', 'apps: [{ name: a, path: memif, memif: { secret: "my secret" } }]'));
    expect(issues).toEqual([expect.objectContaining({ path: 'apps[0].memif.secret', fix: 'use up to 23 characters, without spaces, commas or "="' })]);
  });

  it('reports the schema\'s problems and those of the checks behind it in one load', () => {
    const issues = issuesOf(
      yaml(
        'name: My_Lab',
        'apps:',
        '  - { name: a, path: memf }',
        '  - { name: a, path: memif, memif: { ring-size: 1000 } }',
        '  - { name: b, path: memif, address: 10.77.1.2/24 }',
        '  - { name: c, path: memif, address: 10.77.1.9/24, port: "x" }',
        '  - {}',
      ),
    );
    expect(issues.map((issue) => `${issue.line}:${issue.column}: ${issue.path}: ${issue.message}`)).toEqual([
      '1:7: name: "My_Lab" is not a DNS label',
      '3:22: apps[0].path: "memf" is not one of memif, tap, af_xdp, af_packet, vcl, vcl-ldpreload',
      '4:13: apps[1].name: apps[0] already has the name "a"',
      '4:49: apps[1].memif.ring-size: ring-size 1000 is not a power of two',
      '6:38: apps[3].address: subnet 10.77.1.0/24 overlaps app "b" (10.77.1.0/24)',
      '6:58: apps[3].port: must be an integer, not string "x"',
      '7:5: apps[4]: missing required key "name"',
      '7:5: apps[4]: missing required key "path"',
    ]);
    expect(issues.find((issue) => issue.message === 'missing required key "name"')!.fix).toBe('add a name, e.g. name: app');
  });

  it('checks behind the schema read only what it accepts: no second problem from a rejected value', () => {
    const issues = issuesOf(yaml('name: demo', 'vpp:', '  plugins: [dpdk, Bad]', '  startup:', '    dpdk: "dev default"', 'apps: [{ name: a, path: memif, memif: { id: -1 } }, { name: b, path: memif, memif: { id: 0 } }]'));
    expect(issues.map((issue) => issue.path)).toEqual(['vpp.plugins[1]', 'apps[0].memif.id']);
  });
});
