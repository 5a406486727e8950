/**
 * VPP's version as `show version` prints it, e.g. `vpp v26.10-rc0~374-gb575ec2c56d built by ...` (a
 * master build 374 commits after the v26.10-rc0 tag) or `vpp v25.10.0-15~g6ec2735dd ...` (a release
 * branch). VPP's src/scripts/version makes these from `git describe`.
 */
export interface VppVersion {
  text: string;
  major: number;
  minor: number;
  /** The release candidate (rc0 is master after the previous release branch was cut); absent for a release. */
  rc?: number;
  point: number;
  /** Commits after the tag. */
  commits: number;
}

const VERSION = /^\s*(?:vpp\s+)?v?(\d+)\.(\d+)(?:\.(\d+))?(?:-rc(\d+))?(?:-release)?(?:[~-](\d+))?(?:[~-]g[0-9a-f]+)?/;

export function parseVppVersion(text: string): VppVersion | undefined {
  const found = VERSION.exec(text);
  if (!found) return undefined;
  const [whole, major, minor, point, rc, commits] = found;
  return {
    text: whole.replace(/^\s*(?:vpp\s+)?v?/, ''),
    major: Number(major),
    minor: Number(minor),
    ...(rc !== undefined && { rc: Number(rc) }),
    point: Number(point ?? 0),
    commits: Number(commits ?? 0),
  };
}

/** Negative, zero or positive as `a` is older than, the same as or newer than `b`. */
export function compareVppVersions(a: VppVersion, b: VppVersion): number {
  // Every release candidate of a version comes before the version's release.
  const stage = (v: VppVersion): number => v.rc ?? Number.MAX_SAFE_INTEGER;
  const keys = (v: VppVersion): number[] => [v.major, v.minor, stage(v), v.point, v.commits];
  const [left, right] = [keys(a), keys(b)];
  for (let i = 0; i < left.length; i++) if (left[i] !== right[i]) return left[i]! - right[i]!;
  return 0;
}

/**
 * A defect of VPP itself that a path's apps run into, so the kit can name it when it sees that VPP,
 * rather than leave the user with an app that hangs. Data only: the plan carries it, the engine
 * matches it against the running VPP's version.
 */
export interface VppDefect {
  id: string;
  /** The first VPP version that has it, in `show version`'s form. */
  introduced: string;
  /** The first version without it again, when one is known. */
  fixed?: string;
  /** What a user sees, and why. */
  summary: string;
  /** What to do about it. */
  fix: string;
}

export function hasDefect(version: VppVersion, defect: VppDefect): boolean {
  const introduced = parseVppVersion(defect.introduced);
  const fixed = defect.fixed === undefined ? undefined : parseVppVersion(defect.fixed);
  if (!introduced) return false;
  return compareVppVersions(version, introduced) >= 0 && (!fixed || compareVppVersions(version, fixed) < 0);
}
