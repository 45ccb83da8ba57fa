import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An HTTP proxy between the handlers and the S3 emulator that answers chosen requests with the
 * faults real S3 produces and s3rver cannot: 503 SlowDown (throttling), 500 InternalError, a
 * connection dropped before the request arrives, and one dropped after S3 did the work (the
 * caller never learns that its write happened). Everything else passes through untouched, so
 * the SDK's own retries run exactly as they would against AWS.
 */
export type FaultKind = 'throttle' | 'error' | 'reset' | 'lose-response';

export interface ProxiedRequest {
  method: string;
  /** `/bucket/key?query` as the SDK sent it (path-style). */
  path: string;
  /** What the request does to S3: reading, writing (a PUT, a copy), deleting or listing. */
  operation: 'read' | 'write' | 'delete' | 'list';
  /** The steps (function keys) running when the request came, from the runtime's handler hook. */
  steps: ReadonlySet<string>;
}

export interface FaultRule {
  fault: FaultKind;
  matches(request: ProxiedRequest): boolean;
  /** Matching requests let through before the first fault. @default 0 */
  after?: number;
  /** Faults to inject, then matching requests pass again. @default - until removed */
  times?: number;
}

export interface InjectedRule {
  /** Faults injected so far. */
  injected(): number;
  remove(): void;
}

const S3_ERRORS: Record<'throttle' | 'error', { status: number; code: string; message: string }> = {
  throttle: { status: 503, code: 'SlowDown', message: 'Please reduce your request rate.' },
  error: {
    status: 500,
    code: 'InternalError',
    message: 'We encountered an internal error. Please try again.',
  },
};

function operationOf(method: string, path: string): ProxiedRequest['operation'] {
  const [resource = '', query = ''] = path.split('?');
  if (method === 'DELETE' || (method === 'POST' && /(^|&)delete(=|&|$)/.test(query))) return 'delete';
  if (method === 'PUT' || method === 'POST') return 'write';
  // GET /bucket or /bucket/?list-type=2: a listing; GET/HEAD /bucket/key: a read.
  return resource.split('/').filter(Boolean).length <= 1 ? 'list' : 'read';
}

export class FaultProxy {
  private readonly rules = new Set<{ rule: FaultRule; seen: number; injected: number }>();
  private readonly running = new Map<string, number>();
  private readonly sockets = new Set<import('node:net').Socket>();
  private readonly requestsByStep = new Map<string, number>();

  private constructor(
    private readonly server: Server,
    private readonly target: URL,
    readonly endpoint: string,
  ) {}

  static async start(target: string): Promise<FaultProxy> {
    let proxy: FaultProxy | undefined;
    const server = createServer((req, res) => proxy?.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    proxy = new FaultProxy(server, new URL(target), `http://127.0.0.1:${port}`);
    server.on('connection', (socket) => {
      proxy?.sockets.add(socket);
      socket.on('close', () => proxy?.sockets.delete(socket));
    });
    return proxy;
  }

  inject(rule: FaultRule): InjectedRule {
    const entry = { rule, seen: 0, injected: 0 };
    this.rules.add(entry);
    return { injected: () => entry.injected, remove: () => this.rules.delete(entry) };
  }

  clear(): void {
    this.rules.clear();
  }

  /** S3 requests made while `step` was running, since the proxy started. */
  requestsOf(step: string): number {
    return this.requestsByStep.get(step) ?? 0;
  }

  /** Called by the runtime's handler hook around each invocation, so rules can target a step. */
  async during<T>(step: string, invoke: () => Promise<T>): Promise<T> {
    this.running.set(step, (this.running.get(step) ?? 0) + 1);
    try {
      return await invoke();
    } finally {
      const left = (this.running.get(step) ?? 1) - 1;
      if (left === 0) this.running.delete(step);
      else this.running.set(step, left);
    }
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private pick(request: ProxiedRequest): FaultKind | undefined {
    for (const entry of this.rules) {
      if (!entry.rule.matches(request)) continue;
      entry.seen++;
      if (entry.seen <= (entry.rule.after ?? 0)) continue;
      if (entry.injected >= (entry.rule.times ?? Number.POSITIVE_INFINITY)) continue;
      entry.injected++;
      return entry.rule.fault;
    }
    return undefined;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    const steps = new Set(this.running.keys());
    for (const step of steps) this.requestsByStep.set(step, (this.requestsByStep.get(step) ?? 0) + 1);
    const fault = this.pick({ method, path, operation: operationOf(method, path), steps });
    if (fault === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault === 'throttle' || fault === 'error') {
      const { status, code, message } = S3_ERRORS[fault];
      req.resume();
      req.on('end', () => {
        res.writeHead(status, { 'content-type': 'application/xml' });
        res.end(
          `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`,
        );
      });
      return;
    }
    const upstream = request(
      {
        host: this.target.hostname,
        port: this.target.port,
        method,
        path,
        headers: req.headers,
      },
      (response) => {
        if (fault === 'lose-response') {
          // S3 did it; the caller only sees its connection drop.
          response.resume();
          response.on('end', () => req.socket.destroy());
          return;
        }
        res.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(res);
      },
    );
    upstream.on('error', () => req.socket.destroy());
    req.pipe(upstream);
  }
}
