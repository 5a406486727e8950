import type { Lab, PathName } from '../lab/lab-model.js';
import { forPath } from '../paths/registry.js';
import type { TemplateManifest } from './template-manifest.js';

/** What a project's README fills into its template's text. */
export interface ProjectFacts {
  path: PathName;
  appIp: string;
  port: string;
  /** VPP's address on the app's link (link paths). */
  vppIp?: string;
  /** VPP's interface to the app, as `show interface` names it (link paths). */
  vppIf?: string | undefined;
}

export interface SeeItWorkStep {
  /** The command, exactly as the README gives it. */
  run: string;
  shows: string;
}

/** The README's "See it work": how the traffic crosses VPP, and the steps, for one project. */
export interface SeeItWork {
  crosses: string;
  steps: SeeItWorkStep[];
}

/** VPP's interface to an app of a link path, by the name `show interface` lists (its path says). */
export function vppInterfaceFor(lab: Lab, appName: string): string | undefined {
  const app = lab.apps.find((candidate) => candidate.name === appName)!;
  return forPath(app).vppInterface?.(app, lab);
}

export function seeItWork(manifest: TemplateManifest, facts: ProjectFacts, kit: string): SeeItWork {
  const fill = (text: string): string =>
    text
      .replaceAll('{appIp}', facts.appIp)
      .replaceAll('{port}', facts.port)
      .replaceAll('{vppIp}', facts.vppIp ?? '')
      .replaceAll('{vppIf}', facts.vppIf ?? '')
      .replaceAll('{path}', facts.path)
      .replaceAll('npx vppkit', kit);
  const crosses = manifest.crosses.find((entry) => entry.paths.includes(facts.path));
  if (!crosses) throw new Error(`template.json has no "crosses" text for ${facts.path}`);
  const steps = manifest.try
    .filter((step) => !step.paths || step.paths.includes(facts.path))
    .map((step): SeeItWorkStep => ({
      run: fill(step.run),
      shows: step.grows ? `${growsPhrase({ row: fill(step.grows.row), counters: step.grows.counters })}: ${fill(step.shows)}` : fill(step.shows),
    }));
  return { crosses: fill(crosses.text), steps };
}

/** "`memif0/0`'s rx packets and tx packets are higher than at the first look" (the VPP tier's test reads it back). */
function growsPhrase(grows: { row: string; counters: string[] }): string {
  return `\`${grows.row}\`'s ${grows.counters.join(' and ')} ${grows.counters.length > 1 ? 'are' : 'is'} higher than at the first look`;
}
