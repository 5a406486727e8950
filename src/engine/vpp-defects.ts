import { hasDefect, parseVppVersion } from '../paths/vpp-version.js';
import type { Plan, PlannedDefect } from '../plan/plan-types.js';

/** A known VPP defect that the running VPP has, and the lab's apps it concerns. */
export interface DefectFound extends PlannedDefect {
  vppVersion: string;
}

/** The plan's known defects that the VPP whose `show version` output this is has. */
export function defectsOf(plan: Plan, showVersion: string): DefectFound[] {
  const version = parseVppVersion(showVersion);
  if (!version) return [];
  return plan.vppDefects.filter((defect) => hasDefect(version, defect)).map((defect) => ({ ...defect, vppVersion: version.text }));
}

export function describeDefect(found: DefectFound): string {
  return `VPP ${found.vppVersion} has a known defect that ${found.apps.join(', ')} may meet: ${found.summary}. Fix: ${found.fix}.`;
}

/** Where in plan.vppReady VPP is asked its version (`show version`); -1 when it is not. */
export function versionCheckIndex(plan: Plan): number {
  return plan.vppReady.findIndex((check) => check.run.kind === 'vppctl' && check.run.args.join(' ') === 'show version');
}
