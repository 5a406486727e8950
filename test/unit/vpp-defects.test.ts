import { describe, expect, it } from 'vitest';
import { defectsOf, describeDefect } from '../../src/engine/vpp-defects.js';
import { LDP_RECV_DROPS_DONTWAIT } from '../../src/paths/vcl-ldpreload.js';
import { compareVppVersions, hasDefect, parseVppVersion, type VppVersion } from '../../src/paths/vpp-version.js';
import { PATH_NAMES, pathModule } from '../../src/paths/registry.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import { lab, yaml } from '../support/lab-fixtures.js';

const v = (text: string): VppVersion => {
  const version = parseVppVersion(text);
  if (!version) throw new Error(`not a VPP version: ${text}`);
  return version;
};

describe('VPP versions as show version prints them', () => {
  it('reads master builds, release candidates and release branches', () => {
    expect(v('vpp v26.10-rc0~374-gb575ec2c56d built by root on vm at 2026-11-25T15:33:43')).toEqual({
      text: '26.10-rc0~374-gb575ec2c56d',
      major: 26,
      minor: 10,
      rc: 0,
      point: 0,
      commits: 374,
    });
    expect(v('vpp v25.10.0-15~g6ec2735dd built by jenkins')).toMatchObject({ major: 25, minor: 10, point: 0, commits: 15 });
    expect(v('vpp v25.10.0-15~g6ec2735dd').rc).toBeUndefined();
    expect(v('v26.06-release')).toMatchObject({ major: 26, minor: 6, point: 0, commits: 0 });
    expect(v('26.10-rc1~3-gabc')).toMatchObject({ rc: 1, commits: 3 });
    expect(parseVppVersion('vppctl: cannot connect')).toBeUndefined();
  });

  it('orders master, release candidates, the release and its branch', () => {
    const ordered = ['26.06-rc0~10-ga', '26.06-rc2~1-gb', '26.06-release', '26.06.0-4~gc', '26.06.1-0~gd', '26.10-rc0~153-ge', '26.10-rc0~154-gf', '26.10-rc1~0-g0', '26.10.0-1~g1', '27.02-rc0~1-g2'];
    for (let i = 1; i < ordered.length; i++) {
      expect(compareVppVersions(v(ordered[i - 1]!), v(ordered[i]!)), `${ordered[i - 1]} < ${ordered[i]}`).toBeLessThan(0);
    }
    expect(compareVppVersions(v('26.10-rc0~154-gabc'), v('26.10-rc0~154'))).toBe(0);
  });
});

describe('known VPP defects', () => {
  it('LDP\'s recv() MSG_DONTWAIT defect: from VPP commit b09afccaeaf (v26.10-rc0~154) on', () => {
    expect(hasDefect(v('26.06.0-3~gabc'), LDP_RECV_DROPS_DONTWAIT)).toBe(false);
    expect(hasDefect(v('26.10-rc0~153-gabc'), LDP_RECV_DROPS_DONTWAIT)).toBe(false);
    expect(hasDefect(v('26.10-rc0~154-gb09afccaea'), LDP_RECV_DROPS_DONTWAIT)).toBe(true);
    expect(hasDefect(v('26.10-rc0~374-gb575ec2c56d'), LDP_RECV_DROPS_DONTWAIT)).toBe(true);
    expect(hasDefect(v('26.10.0-2~gabc'), LDP_RECV_DROPS_DONTWAIT)).toBe(true);
    expect(hasDefect(v('27.02-rc0~1-gabc'), { ...LDP_RECV_DROPS_DONTWAIT, fixed: '26.10.1' })).toBe(false);
  });

  it('every known defect of every path names versions that parse', () => {
    for (const name of PATH_NAMES) {
      for (const defect of pathModule(name).knownDefects ?? []) {
        expect(parseVppVersion(defect.introduced), `${name}: ${defect.id}`).toBeDefined();
        if (defect.fixed !== undefined) expect(parseVppVersion(defect.fixed), `${name}: ${defect.id}`).toBeDefined();
      }
    }
    expect(parseVppVersion('ping 10.1.2.3: unreachable')).toBeUndefined();
  });

  it('the plan carries each path\'s defects with the apps they concern, and up names only the running VPP\'s', () => {
    const plan = buildPlan(
      lab(yaml('name: demo', 'apps:', '  - name: web', '    path: vcl-ldpreload', '  - name: cache', '    path: vcl-ldpreload', '  - name: probe', '    path: memif')),
    );
    expect(plan.vppDefects.map((defect) => [defect.id, defect.apps])).toEqual([['ldp-recv-dontwait', ['web', 'cache']]]);
    expect(defectsOf(plan, 'vpp v26.06.0-3~gabc built by x')).toEqual([]);
    expect(defectsOf(plan, 'no version here')).toEqual([]);
    const [found] = defectsOf(plan, 'vpp v26.10-rc0~374-gb575ec2c56d built by root');
    expect(found).toMatchObject({ vppVersion: '26.10-rc0~374-gb575ec2c56d', apps: ['web', 'cache'] });
    expect(describeDefect(found!)).toMatch(/^VPP 26\.10-rc0~374-gb575ec2c56d has a known defect that web, cache may meet: LDP's recv\(\) drops MSG_DONTWAIT .* b09afccaeaf.* Fix: use a VPP older than v26\.10-rc0~154/);
    expect(buildPlan(lab(yaml('name: demo', 'apps:', '  - name: probe', '    path: memif'))).vppDefects).toEqual([]);
  });
});
