import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type Docker from 'dockerode';
import { engineClient, untagLabImages } from '../support/engine.js';
import { runBin } from '../support/run-bin.js';

const tier = inject('vppTier');

/** The app images `vppkit up` built for this file's labs (vppkit/<lab>_<app>): untagLabImages leaves them. */
async function removeAppImages(docker: Docker, labPrefix: string): Promise<void> {
  for (const image of await docker.listImages()) {
    for (const tag of image.RepoTags ?? []) {
      if (tag.startsWith(`vppkit/${labPrefix}`)) await docker.getImage(tag).remove().catch(() => undefined);
    }
  }
}

/**
 * A client through VPP's session layer that sends and does not read. Without a byte count it sends
 * without end and never reads: once the server's echo fills the fifos between them, every write the
 * server makes to it would wait. With one, it sends that many bytes, pauses two seconds, then reads
 * until all of them have come back (the server must take up its echo again when the client reads).
 * Built in the app's container, which has the app-dev image's compiler and VPP's headers.
 */
const SLOW_CLIENT = String.raw`
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <vcl/vppcom.h>
int main(int argc, char **argv) {
  uint8_t ip[4];
  static char data[65536];
  if (argc < 3 || inet_pton(AF_INET, argv[1], ip) != 1) return 2;
  long bytes = argc > 3 ? atol(argv[3]) : 0;
  if (vppcom_app_create("slow-client") != VPPCOM_OK) return 1;
  int session = vppcom_session_create(VPPCOM_PROTO_TCP, 0);
  vppcom_endpt_t to = {.is_ip4 = VPPCOM_IS_IP4, .ip = ip, .port = htons((uint16_t)atoi(argv[2]))};
  if (session < 0 || vppcom_session_connect((uint32_t)session, &to) != VPPCOM_OK) return 1;
  printf("slow-client: connected, sending, not reading\n");
  fflush(stdout);
  for (long sent = 0; !bytes || sent < bytes;) {
    long chunk = bytes && bytes - sent < (long)sizeof data ? bytes - sent : (long)sizeof data;
    int n = vppcom_session_write((uint32_t)session, data, (size_t)chunk);
    if (n <= 0) return 1;
    sent += n;
  }
  sleep(2);
  long echoed = 0;
  while (echoed < bytes) {
    int n = vppcom_session_read((uint32_t)session, data, sizeof data);
    if (n <= 0) break;
    echoed += n;
  }
  printf("slow-client: %ld/%ld bytes echoed\n", echoed, bytes);
  vppcom_session_close((uint32_t)session);
  vppcom_app_destroy();
  return echoed == bytes ? 0 : 1;
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
    // With app-dev's LIBRARY_PATH alone: gcc finds the prefix's lib/x86_64-linux-gnu/libvppcom.so by itself.
    const built = exec(`cat > /tmp/slow.c <<'EOF'\n${SLOW_CLIENT}\nEOF\ncc -O2 /tmp/slow.c -o /tmp/slow -lvppcom`);
    expect(built.status, built.stderr).toBe(0);
  });
  afterAll(async () => {
    if (cwd) runBin('vppkit', ['down'], { cwd });
    await rm(work, { recursive: true, force: true });
    await untagLabImages(engineClient(), `tpl${id}-`);
    await removeAppImages(engineClient(), `tpl${id}-`);
  });

  it.each([['abc'], ['0'], ['-2'], ['']])('vcl-echo-client -n %j is refused with its usage (exit 2), not a pass having sent nothing', (count) => {
    const result = runBin('vppkit', ['exec', 'app', '--', 'vcl-echo-client', '-n', count], { cwd });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`vcl-echo-client: -n ${count} is not a count from 1 to 1000000`);
    expect(result.stderr).toMatch(/^usage: vcl-echo-client \[-n count\]/m);
  });

  it('vcl-echo-server echoes to a second client while the first sends and never reads', () => {
    // In the background: it stays connected, stalled in a write, after this exec returns.
    expect(exec('nohup /tmp/slow "${VPPKIT_APP_ADDRESS%/*}" "$VPPKIT_APP_PORT" >/tmp/slow.log 2>&1 &').status).toBe(0);
    const stalled = exec('for i in $(seq 50); do grep -q connected /tmp/slow.log && break; sleep 0.2; done; sleep 1; cat /tmp/slow.log; pgrep -x slow >/dev/null && echo running');
    // A second on, the fifos between it and the server are full.
    expect(stalled.stdout).toBe('slow-client: connected, sending, not reading\nrunning\n');

    const started = Date.now();
    const second = exec('timeout 10 vcl-echo-client -n 5; echo "exit $?"');
    console.log(`[templates] vcl-echo-client beside a stalled client: ${((Date.now() - started) / 1000).toFixed(2)} s: ${second.stdout.trim().replace(/\n/g, ' | ')}`);
    expect(second.stdout).toMatch(/^vcl-echo-client: 5\/5 echoed by \S+ through VPP, round trip .*\nexit 0\n$/);
    // The stalled client is still connected: served as far as it reads, no further.
    expect(exec('pgrep -x slow >/dev/null && echo running').stdout).toBe('running\n');
  });

  it('a client that stops reading and comes back gets every byte echoed: the server takes up its echo again', () => {
    // Client and server on one VPP share their fifos (a cut-through session): 64 kB each way, and the
    // server's 16 kB buffer. 120 kB fill the way back and the server's buffer, and the rest waits in
    // the way there, unread, until the client reads (more would never leave a client that never reads).
    const slow = exec('timeout 30 /tmp/slow "${VPPKIT_APP_ADDRESS%/*}" "$VPPKIT_APP_PORT" 120000; echo "exit $?"');
    expect(slow.stdout).toBe('slow-client: connected, sending, not reading\nslow-client: 120000/120000 bytes echoed\nexit 0\n');
  });
});
