import type { Plan } from '../plan/plan-types.js';
import type { PathName } from '../lab/lab-model.js';
import { hugepageBytesNeeded, hugepageState, pathHostChecks, type HostCheck } from './host-checks.js';

/** The engine runs on this machine unless DOCKER_HOST points elsewhere; only then can its host be checked. */
export function engineIsLocal(env: NodeJS.ProcessEnv = process.env): boolean {
  const host = env.DOCKER_HOST?.trim();
  return !host || host.startsWith('unix://') || host.startsWith('npipe://');
}

/**
 * Refuses a lab this host cannot run, before anything is built or created, with doctor's words: what
 * its apps' paths need from the host (TAP v2's /dev/vhost-net, ...) and the hugepages it asks for.
 */
export function checkHost(plan: Plan, { vppStays = false }: { vppStays?: boolean } = {}): void {
  if (!engineIsLocal()) return;
  const paths = [...new Set(plan.containers.flatMap((container): PathName[] => (container.path ? [container.path] : [])))];
  // A device the plan does not pass to a container is not needed, whatever its path would want.
  const devices = new Set(plan.containers.flatMap((container) => container.devices.map((grant) => grant.value)));
  const failures: HostCheck[] = pathHostChecks(paths)
    .filter(({ need, level }) => level === 'fail' && (need.kind !== 'device' || devices.has(need.path)))
    .map(({ need: _need, ...check }) => check);
  // A VPP that keeps running already holds its pages: they are not free, and not needed again.
  if (plan.vpp.hugepages && !vppStays) {
    const heap = plan.vpp.hugepages.size;
    const state = hugepageState();
    const free = state.free * state.sizeKb * 1024;
    const needed = hugepageBytesNeeded(heap);
    if (!state.mounted || free < needed) {
      failures.push({
        name: 'hugepages',
        level: 'fail',
        detail: `the lab asks for a ${heap} heap on hugepages; the host has ${Math.round(free / 2 ** 20)} MB free${state.mounted ? '' : ' and no hugetlbfs at /dev/hugepages'}`,
        blocks: ['vpp.hugepages'],
        fix: `reserve at least ${Math.ceil(needed / (state.sizeKb * 1024 || 2 ** 21))} pages (echo N | sudo tee /proc/sys/vm/nr_hugepages; mount hugetlbfs at /dev/hugepages), or set vpp.hugepages: false`,
      });
    }
  }
  if (failures.length) {
    const unique = [...new Map(failures.map((failure) => [failure.name, failure])).values()];
    throw new Error(unique.map((failure) => `${failure.name}: ${failure.detail} (blocks ${failure.blocks.join(', ')}; fix: ${failure.fix})`).join('; '));
  }
}
