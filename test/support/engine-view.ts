import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCK_LABEL } from '../../src/engine/lab-lock.js';
import { LABEL } from '../../src/plan/labels.js';

/** The lists whose answers the view narrows (any API version prefix). */
const LISTS = /^(\/v[\d.]+)?\/(containers\/json|networks|volumes)\/?(\?|$)/;

/**
 * The real engine seen through a socket of its own (DOCKER_HOST=unix://<socket>), where the lists of
 * containers, networks and volumes show only what belongs to labs named `<prefix>...` (their lab's or
 * their lock's label); every other call passes through as it is. Through it, `vppkit down --all`
 * removes every lab of one test, and the labs other test files run on the same engine meanwhile stay
 * out of its sight.
 */
export async function engineView(labPrefix: string, engineSocket = '/var/run/docker.sock'): Promise<{ host: string; close(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'vppkit-view-'));
  const socket = join(dir, 'engine.sock');
  const ours = (labels: Record<string, string> | null | undefined): boolean =>
    [labels?.[LABEL.lab], labels?.[LOCK_LABEL]].some((lab) => lab?.startsWith(labPrefix));

  const server = createServer((incoming, answer) => {
    const upstream = request({ socketPath: engineSocket, method: incoming.method, path: incoming.url, headers: incoming.headers }, (response) => {
      if (incoming.method !== 'GET' || !LISTS.test(incoming.url ?? '') || response.statusCode !== 200) {
        answer.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(answer);
        return;
      }
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const found = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
        const narrowed = Array.isArray(found)
          ? found.filter((item: { Labels?: Record<string, string> }) => ours(item.Labels))
          : { ...(found as object), Volumes: ((found as { Volumes?: { Labels?: Record<string, string> }[] }).Volumes ?? []).filter((item) => ours(item.Labels)) };
        const body = Buffer.from(JSON.stringify(narrowed));
        const headers: IncomingHttpHeaders = { ...response.headers, 'content-length': String(body.length) };
        delete headers['transfer-encoding'];
        answer.writeHead(200, headers);
        answer.end(body);
      });
    });
    upstream.on('error', (error) => {
      answer.writeHead(502);
      answer.end(error.message);
    });
    incoming.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  return {
    host: `unix://${socket}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
