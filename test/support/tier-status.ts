/** What a tier's global setup found: whether its tests can run, and why not when they can't. */
export type TierStatus = { run: true; detail: string } | { run: false; reason: string };

export interface VppTierStatus {
  run: boolean;
  reason?: string;
  /** The VPP install prefix under test (bin/vpp, lib/..., and libmemif beside it). */
  prefix?: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    engineTier: TierStatus;
    vppTier: VppTierStatus;
  }
}

export function report(tier: string, status: { run: boolean; reason?: string; detail?: string }): void {
  const line = status.run ? `[${tier} tier] running: ${status.detail}` : `[${tier} tier] SKIPPED: ${status.reason}`;
  console.log(line);
}
