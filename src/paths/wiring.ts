// The words a path describes its wiring in: what a container is granted and why, the files it gets,
// and the checks that tell the wiring works. The plan is made of them.

/** A privilege or resource granted to a container, with the reason it is needed. */
export interface Grant {
  value: string;
  why: string;
}

export interface PlannedFile {
  /** Absolute path inside the container. */
  path: string;
  content: string;
  mode: number;
}

export type CheckRun = { kind: 'vppctl'; args: string[] } | { kind: 'exec'; cmd: string[] };

/** A command and what its output must match; readiness polls it, `vppkit check` runs it once. */
export interface PlannedCheck {
  /** The node the command runs in (vppctl runs in VPP's container). */
  node: string;
  /** The node the check is about (an app's name, or VPP's node). */
  about: string;
  description: string;
  run: CheckRun;
  /** A regular expression the output must match; absent: exit code 0 is enough. */
  expect?: string;
  /** What a failure means when its output matches `when` (a regular expression): the cause and the fix, in words. */
  hints?: { when: string; says: string }[];
}

/**
 * What an app's image must be for its wiring to work, checked from the image's own files (never by
 * running anything in it). loads-libraries: the app's program loads the shared libraries VPP's
 * container put in `dir` (VCL's client libraries), so it must be a dynamically linked glibc program
 * of the libraries' architecture, with a glibc at least as new as theirs.
 */
export type ImageNeed = { kind: 'loads-libraries'; dir: string; why: string };

/**
 * Shell run once the app has started, in its network namespace, by a throwaway container of VPP's
 * image (which has the tools; the app's image need have none), with only these capabilities.
 */
export interface NetnsStep {
  script: string;
  capabilities: Grant[];
  why: string;
}
