import { RUN_DIR } from '../paths/common.js';

/**
 * VPP's entry script writes here, on every start, the moment VPP's CLI answers and before it applies
 * the lab's CLI: the host's uptime in hundredths of a second (/proc/uptime is the host's in every
 * container, and the same clock as a process's start time in /proc/<pid>/stat, in USER_HZ = 100).
 */
export const VPP_STARTED_FILE = `${RUN_DIR}/vppkit-vpp-started`;

/** How often the engine runs the guard: the most an app waits, after VPP is back, to be restarted. */
export const GUARD_INTERVAL_S = 2;

/** sh lines for VPP's entry script: record this start (atomically: a guard may read it meanwhile). */
export function recordVppStart(): string {
  return `read -r up _ < /proc/uptime; echo "\${up%.*}\${up#*.}" > ${VPP_STARTED_FILE}.tmp && mv ${VPP_STARTED_FILE}.tmp ${VPP_STARTED_FILE}`;
}

/**
 * The app's health check, run by the engine in the app's container (so it needs no entrypoint of the
 * kit's, only a POSIX sh): if VPP started after this container (the engine's init, PID 1, started with
 * it), the app is attached to a VPP that is gone, so it kills the app; init exits 137 and the
 * engine's on-failure policy starts the container again, attached to the new VPP. kill -1 spares PID 1
 * and the check itself. Always exits 0: the guard is not a readiness check.
 */
export function guardScript(): string {
  return [
    `[ -r ${VPP_STARTED_FILE} ] || exit 0`,
    `read -r vpp < ${VPP_STARTED_FILE}`,
    'read -r stat < /proc/1/stat',
    // Fields after the command's name, which may hold spaces: the start time is field 22 of the line.
    'set -- ${stat##*) }',
    '[ "${20}" -lt "$vpp" ] || exit 0',
    'echo "vppkit: VPP restarted after this app started; restarting the app so it attaches again" > /proc/1/fd/1',
    'kill -KILL -1',
    'exit 0',
  ].join('; ');
}
