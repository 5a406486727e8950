import { mkdtemp, rm, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { resolveBaseImage } from '../../src/config/defaults.js';
import { down } from '../../src/engine/down.js';
import { execIn } from '../../src/engine/exec.js';
import { up } from '../../src/engine/up.js';
import { parseLab } from '../../src/lab/load-lab.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import type { Plan } from '../../src/plan/plan-types.js';
import { testRun } from '../support/engine.js';
import { idle, withoutReadiness } from '../support/engine-lab.js';
import { repoRoot } from '../support/run-bin.js';
import { labelledForTest } from '../support/vpp-lab.js';

const tier = inject('engineTier');

/**
 * Clients that send 20 kB and hang up at once, without reading the echo. Now and then (one time in
 * about twenty here) the hang-up reaches the server while it is still echoing: its next write then
 * goes to a connection the client has closed, which is EPIPE and a SIGPIPE that ends the process
 * unless the write says MSG_NOSIGNAL. Stops at the first refused connection: the server is gone.
 */
const HANG_UP_MID_ECHO = `
use IO::Socket::INET;
my ($host, $port, $times) = @ARGV;
my $done = 0;
for (1 .. $times) {
  my $s = IO::Socket::INET->new(PeerAddr => $host, PeerPort => $port, Proto => 'tcp') or last;
  syswrite($s, "x" x 20000);
  close($s);
  $done++;
}
print "hung up $done times\\n";
`;

// The templates that need no VPP headers build on an app-dev image made from the plain base image;
// memif and vcl build against a real VPP in the vpp tier (create-and-run.test.ts).
describe.skipIf(!tier.run)('templates build on the app-dev image', () => {
  const run = testRun();
  let dir: string;
  let plan: Plan;
  let app: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vppkit-template-'));
    await cp(join(repoRoot, 'templates/sockets-echo'), join(dir, 'app'), { recursive: true });
    const source = `name: t${run.id}-tmpl\nvpp: { image: ${resolveBaseImage()} }\napps: [{ name: app, path: af_xdp, build: ./app }]\n`;
    plan = labelledForTest(buildPlan(parseLab(source, join(dir, 'vppkit.yaml'))), run.labels);
    const result = await up(run.docker, withoutReadiness(idle(plan, ['vpp'])));
    app = result.containers.find((c) => c.node === 'app')!.id;
  });
  afterAll(async () => {
    if (plan) await down(run.docker, { lab: plan.lab }).catch(() => undefined);
    await run.cleanup();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('sockets-echo: builds with -Werror, and its server and client echo over TCP and UDP', async () => {
    const tcp = await execIn(run.docker, app, ['sh', '-c', 'sleep 0.5; echo-client -n 3']);
    expect(tcp.stdout).toMatch(/^echo-client: 3\/3 echoed over TCP by 10\.\d+\.1\.2:7000/);
    const udp = await execIn(run.docker, app, ['echo-client', '-u', '-n', '3']);
    expect(udp.stdout).toMatch(/^echo-client: 3\/3 echoed over UDP/);
  });

  it.each([['abc'], ['0'], ['5x'], ['-1'], ['']])('sockets-echo: echo-client -n %j is refused with its usage (exit 2), not a pass having sent nothing', async (count) => {
    const result = await execIn(run.docker, app, ['echo-client', '-n', count]);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`echo-client: -n ${count} is not a count from 1 to 1000000`);
    expect(result.stderr).toMatch(/^usage: echo-client \[-u\] \[-n count\]/m);
  });

  // Not as PID 1, where the kernel drops a SIGPIPE with no handler anyway: as under an init (vcl-ldpreload's
  // apps, `docker run --init`, a dev container) or started by hand.
  it('sockets-echo: echo-server outlives clients that hang up while it echoes (no SIGPIPE)', async () => {
    const script = [
      'ip=${VPPKIT_APP_ADDRESS%/*}',
      'echo-server "$ip" 7100 >/dev/null & server=$!',
      'sleep 0.5',
      `perl -e '${HANG_UP_MID_ECHO}' "$ip" 7100 200`,
      'kill -0 $server 2>/dev/null && echo "echo-server running" || { wait $server; echo "echo-server exited $?"; }',
      'echo-client -n 3 "$ip" 7100',
    ].join('\n');
    const result = await execIn(run.docker, app, ['sh', '-c', script]);
    expect(result.stdout).toMatch(/^hung up 200 times\necho-server running\necho-client: 3\/3 echoed over TCP/);
  });

  it('sockets-echo: docker stop ends echo-server (PID 1) at once, exit 0, rather than killing it after the grace period', async () => {
    const started = Date.now();
    await run.docker.getContainer(app).stop({ t: 10 });
    const seconds = (Date.now() - started) / 1000;
    const state = (await run.docker.getContainer(app).inspect()).State;
    console.log(`[templates] docker stop of echo-server took ${seconds.toFixed(2)} s (exit ${state.ExitCode})`);
    expect(state.ExitCode).toBe(0);
    expect(seconds).toBeLessThan(3);
  });
});
