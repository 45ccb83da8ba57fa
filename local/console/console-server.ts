import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { consoleRoutes } from './console-routes.js';
import type { ConsoleSources } from './console-sources.js';
import { HttpError, matchRoute, type Route, type RouteAnswer } from './route.js';
import { readAsset } from './static-assets.js';

export interface ConsoleServerOptions {
  sources: ConsoleSources;
  /** The built web console (web/dist): see build-console.ts. */
  assetsDir: string;
  /** Routes of another feature's pages, matched first. */
  extraRoutes?: readonly Route[];
  /** @default 0 - a free port */
  port?: number;
}

export interface ConsoleServer {
  /** `http://127.0.0.1:PORT` */
  url: string;
  stop(): Promise<void>;
}

/** A POST body is a small JSON object (a reason); anything larger is refused. */
const MAX_BODY_BYTES = 64 * 1024;

/**
 * The local console: the built pages and their JSON API, on 127.0.0.1 only. Stateless between
 * requests (each tab polls on its own) but for the backfills it runs, whose progress every tab
 * reads alike, so any number of tabs can watch at once.
 */
export async function startConsoleServer(options: ConsoleServerOptions): Promise<ConsoleServer> {
  const routes = [...(options.extraRoutes ?? []), ...consoleRoutes(options.sources)];
  let origin = '';
  const server = createServer((request, response) => {
    void answer(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, { error: (error as Error).message });
      else response.destroy();
    });
  });

  async function answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', origin);
    // A page on another site that resolves its own name to 127.0.0.1 (DNS rebinding) sends its own Host.
    if (request.headers.host !== url.host && request.headers.host !== `localhost:${url.port}`)
      return sendJson(response, 421, { error: `this console answers ${url.host} only` });
    if (url.pathname.startsWith('/api/')) return answerApi(request, response, url);
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return sendJson(response, 405, { error: `${request.method} is not allowed here` });
    const asset = await readAsset(options.assetsDir, url.pathname);
    if (!asset) return sendJson(response, 404, { error: 'the console is not built (web/dist is missing)' });
    response.writeHead(200, {
      'Content-Type': asset.contentType,
      'Cache-Control': asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    response.end(request.method === 'HEAD' ? undefined : asset.body);
  }

  async function answerApi(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    const found = matchRoute(routes, request.method ?? 'GET', url.pathname);
    if (!found) return sendJson(response, 404, { error: `no API route ${url.pathname}` });
    if ('allowed' in found) {
      response.setHeader('Allow', found.allowed.join(', '));
      return sendJson(response, 405, { error: `${request.method} is not allowed on ${url.pathname}` });
    }
    try {
      const body = request.method === 'POST' ? await readJsonBody(request) : undefined;
      send(response, await found.route.handle({ params: found.params, url, body }));
    } catch (error) {
      if (error instanceof HttpError) return sendJson(response, error.status, { error: error.message });
      throw error;
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    stop: () =>
      new Promise<void>((resolve) => {
        // Polling tabs hold keep-alive connections open: close them, or close() waits for them.
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function send(response: ServerResponse, answer: RouteAnswer): void {
  if ('json' in answer) {
    sendJson(response, answer.status ?? 200, answer.json);
    return;
  }
  const { body, contentType, downloadAs, headers } = answer.file;
  response.writeHead(answer.status ?? 200, {
    // Lower-case names: a pass-through's headers (lower-cased) replace these defaults, not join them.
    'cache-control': 'no-store',
    ...headers,
    'content-type': contentType,
    'x-content-type-options': 'nosniff',
    ...(downloadAs ? { 'content-disposition': `attachment; filename="${downloadAs}"` } : {}),
  });
  response.end(body);
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
  });
  response.end(JSON.stringify(value));
}

/**
 * The body of a POST, as JSON. Only `application/json` is read: a form on another site cannot
 * send that without a CORS preflight, which this server never grants.
 */
async function readJsonBody(request: IncomingMessage): Promise<unknown> {
  if (!/^application\/json\b/.test(request.headers['content-type'] ?? ''))
    throw new HttpError(415, 'send the body as JSON (Content-Type: application/json)');
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of request) {
    bytes += (chunk as Buffer).length;
    if (bytes > MAX_BODY_BYTES) throw new HttpError(413, `the body is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new HttpError(400, `the body is not JSON: ${(error as Error).message}`);
  }
}
