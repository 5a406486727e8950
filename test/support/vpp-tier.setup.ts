import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { ENV } from '../../src/config/defaults.js';
import { engineRequired, probeEngineTier } from './engine-probe.js';
import { report, type VppTierStatus } from './tier-status.js';

export default async function setup(project: TestProject): Promise<void> {
  const status = await probeVppTier();
  // CI sets VPPKIT_REQUIRE_VPP=1 wherever it found a VPP: there, a skipped tier would hide a break.
  if (!status.run && process.env.VPPKIT_REQUIRE_VPP === '1') {
    throw new Error(`vpp tier required (VPPKIT_REQUIRE_VPP=1) but cannot run: ${status.reason}`);
  }
  report('vpp', status.run ? { run: true, detail: `VPP prefix ${status.prefix}` } : status);
  project.provide('vppTier', status);
}

async function probeVppTier(): Promise<VppTierStatus> {
  const configured = process.env[ENV.vppPrefix]?.trim();
  if (!configured) {
    return {
      run: false,
      reason:
        `${ENV.vppPrefix} is not set and /opt/vpp has no VPP. Get a VPP install prefix: build VPP with ` +
        `CMAKE_INSTALL_PREFIX=/opt/vpp (libmemif installed into it), or unpack a prebuilt one with ` +
        `bash scripts/vpp-prefix.sh <folder holding vpp-prefix-*.tar.xz>; or export ${ENV.vppPrefix}=<prefix>`,
    };
  }
  const prefix = resolve(configured);
  // Set but wrong is a mistake to fix, not a reason to skip quietly.
  if (!existsSync(join(prefix, 'bin', 'vpp'))) {
    throw new Error(`${ENV.vppPrefix}=${configured} has no bin/vpp: point it at the install prefix of a VPP build`);
  }
  const engine = await probeEngineTier();
  if (!engine.run) {
    if (engineRequired()) throw new Error(`vpp tier needs the engine (VPPKIT_REQUIRE_ENGINE=1): ${engine.reason}`);
    return { run: false, reason: `VPP prefix ${prefix} found, but ${engine.reason}` };
  }
  return { run: true, prefix };
}
