import type Docker from 'dockerode';
import type { NetnsStep } from '../plan/plan-types.js';
import { LABEL, type Labels } from '../plan/labels.js';
import { runOnce } from './run-once.js';

/** Runs a path's set-up in a started app's network namespace, from VPP's image; fails with its output. */
export async function runNetnsStep(docker: Docker, step: NetnsStep, options: { node: string; containerId: string; vppImage: string; labels: Labels }): Promise<void> {
  const result = await runOnce(docker, {
    image: options.vppImage,
    cmd: ['/bin/sh', '-c', step.script],
    labels: { ...options.labels, [LABEL.node]: `${options.node}_netns` },
    // Root, whatever the VPP image's USER: a non-root process would not keep the capability.
    user: '0',
    hostConfig: {
      NetworkMode: `container:${options.containerId}`,
      CapDrop: ['ALL'],
      CapAdd: step.capabilities.map((grant) => grant.value),
    },
  });
  if (result.exitCode !== 0) {
    throw new Error(`setting up ${options.node}'s network namespace failed (${step.why}): ${`${result.stdout}${result.stderr}`.trim() || `exit code ${result.exitCode}`}`);
  }
}
