import type { OptionsIn, PATHS } from '../paths/registry.js';
import type { LabAppCore, LabCore } from './lab-core.js';

export type { AppSource, LabAppCore, LabCore, LabVpp, VppSource } from './lab-core.js';
export { PATH_NAMES } from '../paths/registry.js';

// The lab with each app typed by its path: the names and options types come from the paths' registry.

export type PathName = keyof typeof PATHS;
export type OptionsOf = { [P in PathName]: OptionsIn<P> };
export type LabAppOf<P extends PathName> = LabAppCore & { path: P; options: OptionsOf[P] };
export type LabApp = { [P in PathName]: LabAppOf<P> }[PathName];

/** A validated lab with every default filled in: what the plan is made from. */
export type Lab = LabCore<LabApp>;
