// How big a lab file may be. A real lab is a few kilobytes; these bounds are far above any lab that
// can run (one host's containers) and below what makes the loader slow or runs Node out of memory: a
// hostile or generated file is refused within a second or two, with what to change. Measured with
// yaml 2.9 on Node 20: a MiB of dense YAML takes 3 to 5 s to parse; before these limits, 3,000 apps
// took 17 s and died with "Invalid string length", and 50,000 ran the heap out (V8's native stack trace).

/**
 * Bytes. A lab of MAX_APPS apps with every key of every app spelled out is 400 KiB (with a name and a
 * path each, 33 KiB); parsing 512 KiB of the densest YAML (a list of 250,000 one-letter items, or
 * 250,000 nested brackets) takes under 2 s and 400 MB.
 */
export const MAX_LAB_FILE_BYTES = 512 * 1024;

/**
 * Every app is a container on one host, attached to Docker's default bridge unless its path says
 * otherwise, and a Linux bridge takes at most 1,024 ports (BR_MAX_PORTS).
 */
export const MAX_APPS = 1_000;

/**
 * Collections inside collections. A lab is four deep (apps, an app, its options, a value); the YAML
 * library composes recursively and runs out of stack at about 800.
 */
export const MAX_DEPTH = 32;

/** Aliases (*name): the YAML library resolves each by scanning the file's anchors, so n aliases cost n² (10,000 take 1.3 s). */
export const MAX_ALIASES = 2_000;

/**
 * Values (scalars and collections) the file stands for with its aliases expanded: a few aliases can
 * repeat a large anchor into more data than the file holds ("billion laughs"). A lab of MAX_APPS apps
 * with every key set has about 50,000.
 */
export const MAX_VALUES = 100_000;
