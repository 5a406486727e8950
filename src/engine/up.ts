import type Docker from 'dockerode';
import { AppImageError, checkAppImages } from './app-image-fit.js';
import { runNetnsStep } from './netns-step.js';
import type { Plan, PlannedContainer } from '../plan/plan-types.js';
import { containerLogs } from './container-logs.js';
import { execIn } from './exec.js';
import { resolveLabImages } from './lab-images.js';
import { describeTakeOver, lockLab, type LabLock } from './lab-lock.js';
import { labContainers, type LabContainer } from './lab-state.js';
import { LABEL, labelFilter } from '../plan/labels.js';
import { createPlannedContainer, createPlannedNetwork, createPlannedVolume } from './planned-resources.js';
import { checkHost } from './preflight.js';
import { inspectIfPresent, isAbsent } from './absent.js';
import { engineProblem } from './engine-errors.js';
import { waitForChecks } from './run-check.js';
import { defectsOf, describeDefect, versionCheckIndex, type DefectFound } from './vpp-defects.js';

export interface UpReporter {
  /** A step begins; `detail` lines may follow; then it ends. */
  start(step: string): void;
  detail(text: string): void;
  succeed(step: string, summary?: string): void;
  fail(step: string): void;
}

export const silentReporter: UpReporter = { start() {}, detail() {}, succeed() {}, fail() {} };

export interface UpOptions {
  reporter?: UpReporter;
  /** Leave what this `up` created in place when it fails, for a look inside. */
  keepOnFailure?: boolean;
  /** Aborting (Ctrl-C) stops `up` at the next step or poll and rolls back. */
  signal?: AbortSignal;
}

/** How long VPP, then the apps, may take to pass their readiness checks. */
const READY_WITHIN_MS = 120_000;

export type ContainerAction = 'created' | 'recreated' | 'unchanged';

export interface UpResult {
  lab: string;
  containers: { node: string; name: string; id: string; action: ContainerAction }[];
  /** Containers of nodes the lab no longer has, removed. */
  removed: string[];
  /** Known defects of the running VPP that the lab's apps may meet. */
  vppDefects: DefectFound[];
}

/** `up` failed: which step, why, and the failing container's last log lines when there is one. */
export class UpError extends Error {
  constructor(
    readonly step: string,
    readonly reason: string,
    readonly details?: string,
  ) {
    super(`up failed at "${step}": ${reason}`);
    this.name = 'UpError';
  }
}

/**
 * Brings a lab to its plan: images, volumes, networks, VPP (then waits until it answers and has
 * applied its configuration), the apps (then waits until each is wired). A container whose config
 * hash matches and that runs is left alone; a changed one is recreated alone (all apps when VPP
 * changes, since they hold its sockets). On failure, whatever this call created is removed. It holds
 * the lab's lock throughout: another vppkit at work on the lab makes it fail at once, naming that one.
 */
export async function up(docker: Docker, plan: Plan, options: UpOptions = {}): Promise<UpResult> {
  const reporter = options.reporter ?? silentReporter;
  const created = new Created(docker);
  const result: UpResult = { lab: plan.lab, containers: [], removed: [], vppDefects: [] };
  let step = '';
  let preparingApps: Promise<unknown> | undefined;

  const run = async <T>(name: string, work: () => Promise<T>, summary?: (value: T) => string | undefined): Promise<T> => {
    if (options.signal?.aborted) throw new UpError(step || name, 'interrupted');
    step = name;
    reporter.start(name);
    try {
      const value = await work();
      reporter.succeed(name, summary?.(value));
      return value;
    } catch (error) {
      reporter.fail(name);
      throw error;
    }
  };

  let lock: LabLock | undefined;
  try {
    // First, before anything is looked at: two ups of one lab at once would each make half of it.
    // The first call to the engine, too: its failure (no engine, no permission) is a step's, never a nameless one.
    lock = await run('lock the lab', () => lockLab(docker, plan.lab, 'up'), describeTakeOver);
    const existing = await run('find the lab on the engine', async () => new Map((await labContainers(docker, plan.lab)).map((container) => [container.node, container])));
    const [vppPlan, ...appPlans] = plan.containers as [PlannedContainer, ...PlannedContainer[]];
    const vppNow = existing.get(vppPlan.node);
    await run('check the host', async () =>
      checkHost(plan, { vppStays: Boolean(vppNow?.running && vppNow.configHash === vppPlan.labels[LABEL.configHash]) }),
    );
    const images = await run(
      'images',
      () =>
        resolveLabImages(docker, plan, {
          progress: { phase: (title) => reporter.detail(title), line: (text) => reporter.detail(text), ...(options.signal && { signal: options.signal }) },
        }),
      (tags) => `${tags.size} ready`,
    );
    const keep = await run('compare with what runs', () => unchangedNodes(docker, plan, existing, images));
    await run('remove what changed', async () => {
      for (const [node, container] of existing) {
        if (keep.has(node)) continue;
        await docker.getContainer(container.id).remove({ force: true });
        if (!plan.containers.some((planned) => planned.node === node)) result.removed.push(container.name);
      }
      const wanted = new Map(plan.networks.map((network) => [network.name, network.labels[LABEL.configHash]]));
      for (const network of await docker.listNetworks({ filters: labelFilter({ [LABEL.lab]: plan.lab }) })) {
        if (wanted.get(network.Name) === network.Labels?.[LABEL.configHash]) continue;
        await docker.getNetwork(network.Id).remove();
        if (!wanted.has(network.Name)) result.removed.push(network.Name);
      }
    });
    await run('volumes and networks', () => ensureVolumesAndNetworks(docker, plan, created));

    const ids = new Map<string, string>();
    await run(`start ${vppPlan.node}`, async () => startPrepared(await prepareContainer(docker, vppPlan, existing.get(vppPlan.node), keep, ids, images, created), ids, result));
    // The apps' containers are made while VPP boots (files copied in, nothing started): they start
    // once VPP is ready, in the plan's order.
    const apps = Promise.all(appPlans.map((app) => prepareContainer(docker, app, existing.get(app.node), keep, ids, images, created)));
    preparingApps = apps.catch(() => undefined); // awaited below; a failure meanwhile must not end the process first
    if (plan.vppReady.length) {
      const outputs = await run('VPP ready', () => waitForChecks(docker, plan.vppReady, ids, READY_WITHIN_MS, options.signal));
      result.vppDefects = defectsOf(plan, outputs[versionCheckIndex(plan)] ?? '');
    }
    // VCL's libraries are in VPP's container now: whether each app's program can load them is known before it starts.
    const needing = (await apps).filter((prepared) => prepared.start && prepared.planned.imageNeeds?.length);
    if (needing.length) {
      await run('check the apps\' images', () =>
        checkAppImages(
          docker,
          needing.map(({ planned, id }) => ({
            planned,
            containerId: id,
            image: images.get(planned.image)!,
            imageRef: plan.images.find((image) => image.key === planned.image)?.ref ?? planned.image,
          })),
          ids.get(vppPlan.node)!,
        ),
      );
    }
    for (const [index, prepared] of (await apps).entries()) {
      await run(`start ${appPlans[index]!.node}`, async () => {
        const action = await startPrepared(prepared, ids, result);
        const step = prepared.planned.netnsStep;
        if (step && prepared.start) {
          await runNetnsStep(docker, step, { node: prepared.planned.node, containerId: prepared.id, vppImage: images.get(vppPlan.image)!, labels: plan.labels }).catch(
            (error: unknown) => {
              // An app that exited at once is why the step could not join its namespace: its logs say why.
              throw Object.assign(error as Error, { node: prepared.planned.node, about: prepared.planned.node, ids });
            },
          );
        }
        return action;
      });
    }
    if (plan.appsReady.length) {
      await run('apps ready', () => waitForChecks(docker, plan.appsReady, ids, READY_WITHIN_MS, options.signal));
    }
  } catch (error) {
    // Interrupted (Ctrl-C): the user knows why; the logs of what is being removed say nothing more.
    const interrupted = options.signal?.aborted === true;
    const ownDetails = error instanceof AppImageError ? error.details : undefined;
    const details = interrupted ? '' : [ownDetails, await failureDetails(docker, error), ...result.vppDefects.map(describeDefect)].filter(Boolean).join('\n');
    const problem = engineProblem(error);
    const reason = problem ? `${problem.message}. Fix: ${problem.fix}` : error instanceof Error ? error.message : String(error);
    const failure = error instanceof UpError ? error : new UpError(step, interrupted ? 'interrupted; what this up created is removed' : reason, details || undefined);
    // A failure while the apps' containers were being made: let them finish, so the rollback sees them.
    await preparingApps;
    const leftBehind = options.keepOnFailure ? [] : await created.rollback();
    const notes = [
      leftBehind.length ? `could not remove everything this up created (vppkit down removes the rest):\n${leftBehind.map((line) => `  ${line}`).join('\n')}` : '',
      // After the rollback: until then, another vppkit must not start on what is being removed.
      (await lockLeft(lock)) ?? '',
    ].filter(Boolean);
    if (notes.length) throw new UpError(failure.step, failure.reason, [failure.details, ...notes].filter(Boolean).join('\n'));
    throw failure;
  }
  const left = await lockLeft(lock);
  if (left) throw new UpError('release the lock', left);
  return result;
}

/** Releases the lock; what is wrong when it could not be. */
async function lockLeft(lock: LabLock | undefined): Promise<string | undefined> {
  return lock?.release().then(
    () => undefined,
    (error: unknown) => (error instanceof Error ? error.message : String(error)),
  );
}

/**
 * The nodes whose running container already matches the plan (same config hash and image), and
 * stay. When VPP does not, no app does either: they hold VPP's sockets.
 */
async function unchangedNodes(
  docker: Docker,
  plan: Plan,
  existing: ReadonlyMap<string, LabContainer>,
  images: ReadonlyMap<string, string>,
): Promise<Set<string>> {
  const keep = new Set<string>();
  for (const planned of plan.containers) {
    const current = existing.get(planned.node);
    if (!current?.running || current.configHash !== planned.labels[LABEL.configHash]) continue;
    if ((await docker.getContainer(current.id).inspect()).Config.Image !== images.get(planned.image)) continue;
    keep.add(planned.node);
  }
  if (!keep.has(plan.containers[0]!.node)) keep.clear();
  return keep;
}

async function ensureVolumesAndNetworks(docker: Docker, plan: Plan, created: Created): Promise<void> {
  const notOurs = (kind: string, name: string, labels: Record<string, string> | null | undefined): Error =>
    new Error(`a ${kind} named ${name} exists but is not lab ${plan.lab}'s (its io.vppkit.lab label is ${labels?.[LABEL.lab] ?? 'missing'}): remove it, or rename the lab`);
  for (const volume of plan.volumes) {
    const found = await inspectIfPresent(() => docker.getVolume(volume.name).inspect());
    if (found && found.Labels?.[LABEL.lab] !== plan.lab) throw notOurs('volume', volume.name, found.Labels);
    if (!found) {
      await createPlannedVolume(docker, volume);
      created.volumes.push(volume.name);
    }
  }
  for (const network of plan.networks) {
    const found = (await inspectIfPresent(() => docker.getNetwork(network.name).inspect())) as { Labels?: Record<string, string> } | undefined;
    if (found && found.Labels?.[LABEL.lab] !== plan.lab) throw notOurs('network', network.name, found.Labels);
    if (found) continue;
    try {
      await createPlannedNetwork(docker, network);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(
        /overlap/i.test(message)
          ? `network ${network.name} (${network.subnet ?? 'from the engine\'s pools'}) overlaps a network the engine already has: give the lab another pool in vppkit.yaml`
          : message,
      );
    }
    created.networks.push(network.name);
  }
}

interface Prepared {
  planned: PlannedContainer;
  id: string;
  action: ContainerAction;
  start?: () => Promise<unknown>;
}

/** The node's container, made with its files but not started; the running one when it stays. */
async function prepareContainer(
  docker: Docker,
  planned: PlannedContainer,
  current: LabContainer | undefined,
  keep: ReadonlySet<string>,
  ids: ReadonlyMap<string, string>,
  images: ReadonlyMap<string, string>,
  created: Created,
): Promise<Prepared> {
  const image = images.get(planned.image);
  if (!image) throw new Error(`no image resolved for ${planned.image}`);
  if (current && keep.has(planned.node)) return { planned, id: current.id, action: 'unchanged' };
  // A changed container was removed in "remove what changed"; this makes its successor.
  const container = await createPlannedContainer(docker, planned, { image, containerIds: ids });
  created.containers.push(container.id);
  return { planned, id: container.id, action: current ? 'recreated' : 'created', start: () => container.start() };
}

async function startPrepared(prepared: Prepared, ids: Map<string, string>, result: UpResult): Promise<ContainerAction> {
  await prepared.start?.();
  const { planned, id, action } = prepared;
  ids.set(planned.node, id);
  result.containers.push({ node: planned.node, name: planned.name, id, action });
  return action;
}

/** The last log lines of the container a failure is about, and VPP's own log when VPP is involved. */
async function failureDetails(docker: Docker, error: unknown): Promise<string | undefined> {
  const info = error as { node?: string; about?: string; ids?: ReadonlyMap<string, string>; cause?: unknown };
  if (!info.ids) return undefined;
  const stoppedId = typeof info.cause === 'string' ? info.cause : undefined;
  // A container that stopped is the whole story; otherwise the node the check is about comes first.
  const stopped = [...info.ids].filter(([, id]) => id === stoppedId);
  const nodes = [info.about, info.node].filter((node): node is string => Boolean(node));
  const involved = stopped.length ? stopped : [...new Set(nodes)].flatMap((node) => (info.ids!.has(node) ? [[node, info.ids!.get(node)!] as const] : []));
  const parts: string[] = [];
  for (const [node, id] of involved) {
    const logs = await containerLogs(docker, id).catch(() => '');
    if (logs.trim()) parts.push(`last log lines of ${node}:\n${indent(logs)}`);
    if (node === 'vpp') {
      const vppLog = await execIn(docker, id, ['tail', '-n', '20', '/tmp/vpp.log']).catch(() => undefined);
      if (vppLog?.exitCode === 0 && vppLog.stdout.trim()) parts.push(`VPP's log (/tmp/vpp.log):\n${indent(vppLog.stdout)}`);
    }
  }
  return parts.join('\n') || undefined;
}

function indent(text: string): string {
  return text
    .trimEnd()
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}

/** What one `up` created, so a failure removes exactly that. */
class Created {
  readonly containers: string[] = [];
  readonly networks: string[] = [];
  readonly volumes: string[] = [];

  constructor(private readonly docker: Docker) {}

  /** Removes what was created, newest first; returns what could not be removed (gone already is fine). */
  async rollback(): Promise<string[]> {
    const failures: string[] = [];
    const attempt = async (what: string, remove: () => Promise<unknown>): Promise<void> => {
      await remove().catch((error: Error) => {
        if (!isAbsent(error)) failures.push(`${what}: ${error.message}`);
      });
    };
    for (const id of [...this.containers].reverse()) await attempt(`container ${id.slice(0, 12)}`, () => this.docker.getContainer(id).remove({ force: true, v: true }));
    for (const name of this.networks) await attempt(`network ${name}`, () => this.docker.getNetwork(name).remove());
    for (const name of this.volumes) await attempt(`volume ${name}`, () => this.docker.getVolume(name).remove());
    return failures;
  }
}
