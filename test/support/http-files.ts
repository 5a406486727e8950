import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';

export interface FileServer {
  /** http://<host>:<port>, without a trailing slash. */
  url: string;
  /** Every request, as "<status> <method> <path>", in order: evidence of what a build fetched. */
  requests: string[];
  close(): Promise<void>;
}

/**
 * Serves files over plain HTTP, as a package mirror would, on an ephemeral port of `host`. Each route
 * maps a URL path to a file, or (ending in /) a URL prefix to a folder; anything else is a 404. It
 * answers from this process's event loop: whatever fetches from it must not be waited for with
 * spawnSync (runBin), or the two wait for each other.
 */
export async function serveFiles(host: string, routes: Readonly<Record<string, string>>): Promise<FileServer> {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    const respond = (status: number, size?: number): void => {
      requests.push(`${status} ${request.method} ${path}`);
      response.writeHead(status, size === undefined ? {} : { 'content-length': size });
    };
    const file = fileFor(routes, path);
    if (!file || (request.method !== 'GET' && request.method !== 'HEAD')) {
      respond(404);
      response.end();
      return;
    }
    stat(file).then(
      (info) => {
        if (!info.isFile()) throw new Error('not a file');
        respond(200, info.size);
        if (request.method === 'HEAD') response.end();
        else createReadStream(file).pipe(response);
      },
      () => {
        respond(404);
        response.end();
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function fileFor(routes: Readonly<Record<string, string>>, path: string): string | undefined {
  for (const [route, target] of Object.entries(routes)) {
    if (!route.endsWith('/')) {
      if (path === route) return target;
      continue;
    }
    if (!path.startsWith(route)) continue;
    const rest = normalize(path.slice(route.length));
    // No way out of the folder.
    if (rest.startsWith('..') || rest.startsWith('/')) return undefined;
    return join(target, rest);
  }
  return undefined;
}
