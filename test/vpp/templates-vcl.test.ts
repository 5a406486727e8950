import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { engineClient, untagLabImages } from '../support/engine.js';
import { runBin } from '../support/run-bin.js';

const tier = inject('vppTier');

/**
 * A client that connects through VPP's session layer, sends without end and never reads: once the
 * server's echo fills the fifos between them, every write the server makes to it would wait. Built in
 * the app's container, which has the app-dev image's compiler and VPP's headers.
 */
const STALLED_CLIENT = String.raw`
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <vcl/vppcom.h>
int main(int argc, char **argv) {
  uint8_t ip[4];
  static char data[65536];
  if (argc != 3 || inet_pton(AF_INET, argv[1], ip) != 1) return 2;
  if (vppcom_app_create("stalled-client") != VPPCOM_OK) return 1;
  int session = vppcom_session_create(VPPCOM_PROTO_TCP, 0);
  vppcom_endpt_t to = {.is_ip4 = VPPCOM_IS_IP4, .ip = ip, .port = htons((uint16_t)atoi(argv[2]))};
  if (session < 0 || vppcom_session_connect((uint32_t)session, &to) != VPPCOM_OK) return 1;
  printf("stalled-client: connected, sending, never reading\n");
  fflush(stdout);
  for (;;) {
    if (vppcom_session_write((uint32_t)session, data, sizeof data) <= 0) return 1;
  }
}
`;

describe.skipIf(!tier.run)('the vcl template on a real VPP', () => {
  let work: string;
  let cwd: string;
  const id = Math.random().toString(16).slice(2, 6);
  const name = `tpl${id}-vcl`;
  const exec = (script: string) => runBin('vppkit', ['exec', 'app', '--', 'sh', '-c', script], { cwd, timeoutMs: 60_000 });
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'vppkit-tpl-vcl-'));
    expect(runBin('create-vpp-app', [name, '--vcl', '--vpp-prefix', tier.prefix!], { cwd: work }).status).toBe(0);
    cwd = join(work, name);
    // Small fifos: a client that does not read fills them within a fraction of a second.
    await appendFile(join(cwd, 'vppkit.yaml'), '    vcl: { rx-fifo-size: 65536, tx-fifo-size: 65536 }\n');
    const up = runBin('vppkit', ['up'], { cwd, timeoutMs: 600_000 });
    expect(up.status, `${up.stderr}\n${up.stdout}`).toBe(0);
  });
  afterAll(async () => {
    if (cwd) runBin('vppkit', ['down'], { cwd });
    await rm(work, { recursive: true, force: true });
    await untagLabImages(engineClient(), `tpl${id}-`);
  });

  it.each([['abc'], ['0'], ['-2'], ['']])('vcl-echo-client -n %j is refused with its usage (exit 2), not a pass having sent nothing', (count) => {
    const result = runBin('vppkit', ['exec', 'app', '--', 'vcl-echo-client', '-n', count], { cwd });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`vcl-echo-client: -n ${count} is not a count from 1 to 1000000`);
    expect(result.stderr).toMatch(/^usage: vcl-echo-client \[-n count\]/m);
  });

  it('vcl-echo-server echoes to a second client while the first sends and never reads', () => {
    const built = exec(`cat > /tmp/stalled.c <<'EOF'\n${STALLED_CLIENT}\nEOF\ncc -O2 /tmp/stalled.c -o /tmp/stalled -lvppcom`);
    expect(built.status, built.stderr).toBe(0);
    // In the background: it stays connected, stalled in a write, after this exec returns.
    expect(exec('nohup /tmp/stalled "${VPPKIT_APP_ADDRESS%/*}" "$VPPKIT_APP_PORT" >/tmp/stalled.log 2>&1 &').status).toBe(0);
    const stalled = exec('for i in $(seq 50); do grep -q connected /tmp/stalled.log && break; sleep 0.2; done; sleep 1; cat /tmp/stalled.log; pgrep -x stalled >/dev/null && echo running');
    // A second on, the fifos between it and the server are full (64 kB each way).
    expect(stalled.stdout).toBe('stalled-client: connected, sending, never reading\nrunning\n');

    const started = Date.now();
    const second = exec('timeout 10 vcl-echo-client -n 5; echo "exit $?"');
    console.log(`[templates] vcl-echo-client beside a stalled client: ${((Date.now() - started) / 1000).toFixed(2)} s: ${second.stdout.trim().replace(/\n/g, ' | ')}`);
    expect(second.stdout).toMatch(/^vcl-echo-client: 5\/5 echoed by \S+ through VPP, round trip .*\nexit 0\n$/);
    // The stalled client is still connected: served as far as it reads, no further.
    expect(exec('pgrep -x stalled >/dev/null && echo running').stdout).toBe('running\n');
  });
});
