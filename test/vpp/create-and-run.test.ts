import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { runBin } from '../support/run-bin.js';
import { scratchProjects } from '../support/scratch-projects.js';

const tier = inject('vppTier');
const vhostNet = existsSync('/dev/vhost-net');

// What a user does: scaffold, bring up, check, tear down, on the VPP built by hand.
describe.skipIf(!tier.run)('create-vpp-app, then vppkit up and check, on a real VPP', () => {
  const id = Math.random().toString(16).slice(2, 6);
  const scratch = scratchProjects('vppkit-e2e-', `e${id}-`);
  const made = scratch.made;

  function scaffold(flag: string): string {
    const name = `e${id}-${flag.replace(/^--/, '')}`;
    const created = runBin('create-vpp-app', [name, flag, '--vpp-prefix', tier.prefix!], { cwd: scratch.work });
    expect(created.status, created.stderr).toBe(0);
    made.push(name);
    return name;
  }

  it.each([
    ['--memif', /^ok {3}VPP pings app at /m],
    ['--vcl', /^ok {3}app's own check: \/bin\/sh -c vcl-echo-client$/m],
    ['--vcl-ldpreload', /^ok {3}app's own check: \/bin\/sh -c LD_PRELOAD=libvcl_ldpreload\.so echo-client -n 5$/m],
    ['--af-xdp', /^ok {3}VPP pings app at /m],
  ])('%s: the generated app builds, comes up wired, and its smoke check passes', (flag, smoke) => {
    const name = scaffold(flag);
    const cwd = join(scratch.work, name);
    const up = runBin('vppkit', ['up'], { cwd, timeoutMs: 600_000 });
    expect(up.status, `${up.stderr}\n${up.stdout}`).toBe(0);
    // Projects whose app is a kernel interface's have a peer on VPP's session layer too (README: See it work).
    expect(up.stdout).toMatch(new RegExp(`Lab ${name} is up: vpp \\(created\\), app \\(created\\)(, peer \\(created\\))?\\.`));
    const check = runBin('vppkit', ['check', '--json'], { cwd });
    const results = JSON.parse(check.stdout) as { ok: boolean; output: string }[];
    expect(check.status, check.stdout).toBe(0);
    expect(runBin('vppkit', ['check'], { cwd }).stdout).toMatch(smoke);
    if (flag === '--vcl' || flag === '--vcl-ldpreload') expect(results[0]!.output).toMatch(/5\/5 echoed|10\/10 echoed/);
    expect(runBin('vppkit', ['down'], { cwd }).status).toBe(0);
  });

  it('--af-packet: comes up wired; VPP pings the app, the app pings VPP, and VPP counts the frames on its AF_PACKET interface', () => {
    const name = scaffold('--af-packet');
    const cwd = join(scratch.work, name);
    const up = runBin('vppkit', ['up'], { cwd, timeoutMs: 600_000 });
    expect(up.status, `${up.stderr}\n${up.stdout}`).toBe(0);
    const check = runBin('vppkit', ['check'], { cwd });
    expect(check.status, check.stdout).toBe(0);
    expect(check.stdout).toMatch(/^ok {3}VPP pings app at 10\.\d+\.1\.2$/m);
    // The other way: the app's kernel sends to VPP's address, which only VPP answers (not VPP's kernel).
    const ping = runBin('vppkit', ['exec', 'app', '--', 'sh', '-c', 'ping -c 3 -W 2 ${VPPKIT_VPP_ADDRESS%/*}'], { cwd });
    expect(ping.status, ping.stdout + ping.stderr).toBe(0);
    expect(ping.stdout).toMatch(/3 packets transmitted, 3 received/);
    const shown = runBin('vppkit', ['vppctl', 'show', 'interface'], { cwd }).stdout;
    const rx = /host-eth\d+\s+\d+\s+up\s+\S+\s+rx packets\s+(\d+)/.exec(shown);
    expect(rx, shown).not.toBeNull();
    expect(Number(rx![1])).toBeGreaterThanOrEqual(6);
    expect(runBin('vppkit', ['down'], { cwd }).status).toBe(0);
    expect(runBin('vppkit', ['status'], { cwd }).stdout).toBe(`lab ${name} is not up\n`);
  });

  it.skipIf(vhostNet)('--tap: vppkit up refuses on this host, with doctor\'s message, and creates nothing', () => {
    const name = scaffold('--tap');
    const up = runBin('vppkit', ['up'], { cwd: join(scratch.work, name) });
    expect(up.status).toBe(1);
    expect(up.stderr).toMatch(/up failed at "check the host": \/dev\/vhost-net: missing: VPP's TAP v2 .*fix: load it \(sudo modprobe vhost_net\); in a VM or sandbox without it, use a path that does not need it \(create-vpp-app recommends one\) instead of tap/);
    expect(runBin('vppkit', ['status'], { cwd: join(scratch.work, name) }).stdout).toBe(`lab ${name} is not up\n`);
  });
});
