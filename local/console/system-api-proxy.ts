import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { SystemDefinition } from '../../lib/config/system-definition.js';
import type { LocalHandler } from '../state-machine-runner.js';
import type { ConsoleSources } from './console-sources.js';
import type { Route, RouteAnswer, RouteRequest } from './route.js';

/** Response headers the console sets itself (or that describe the function's transport, not its answer). */
const OWN_HEADERS = new Set(['content-type', 'content-length', 'transfer-encoding', 'connection']);

/**
 * `/api/<system>/…` → the handler of that system's `web.apiFunction`, called in-process with the
 * event its Function URL would send (payload format 2.0, `rawPath` still `/api/<system>/…`, as
 * CloudFront forwards it on AWS), answered with the function's status, headers and body. So a
 * system page talks to one origin, locally and behind the distribution alike, and the console
 * knows nothing of the system's routes.
 */
export function systemApiRoutes(sources: Pick<ConsoleSources, 'systems' | 'handlers'>): Route[] {
  return sources.systems.flatMap((system) => {
    const web = system.web;
    if (!web) return [];
    return (['GET', 'POST'] as const).map(
      (method): Route => ({
        method,
        path: `/api/${system.name}/*`,
        handle: (request) =>
          forward(system, web.apiFunction, sources.handlers?.get(web.apiFunction), method, request),
      }),
    );
  });
}

async function forward(
  system: SystemDefinition,
  functionKey: string,
  handler: LocalHandler | undefined,
  method: string,
  request: RouteRequest,
): Promise<RouteAnswer> {
  if (!handler)
    return {
      status: 503,
      json: { error: `${functionKey} (the API of ${system.name}) is not loaded in this runtime` },
    };
  let result: unknown;
  try {
    result = await handler(functionUrlEvent(functionKey, method, request));
  } catch (error) {
    // What a Function URL answers when its function throws.
    return { status: 502, json: { message: 'Internal Server Error', error: (error as Error).message } };
  }
  return answerOf(result);
}

/** The event a Function URL sends for this request (the fields handlers read; no IAM locally). */
export function functionUrlEvent(
  functionKey: string,
  method: string,
  request: RouteRequest,
): APIGatewayProxyEventV2 {
  const { url } = request;
  const now = new Date();
  const body = request.body === undefined ? undefined : JSON.stringify(request.body);
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers: {
      accept: 'application/json',
      host: url.host,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(url.search ? { queryStringParameters: Object.fromEntries(url.searchParams) } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: functionKey,
      domainName: url.host,
      domainPrefix: functionKey,
      http: {
        method,
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'local-console',
      },
      requestId: `console-${now.getTime()}`,
      routeKey: '$default',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(body !== undefined ? { body } : {}),
    isBase64Encoded: false,
  };
}

/**
 * A Function URL's reading of a handler's result: an object with `statusCode` is the response;
 * anything else is a 200 whose JSON body is that value.
 */
function answerOf(result: unknown): RouteAnswer {
  if (typeof result !== 'object' || result === null || !('statusCode' in result))
    return { json: result ?? null };
  const response = result as APIGatewayProxyStructuredResultV2;
  const headers = Object.fromEntries(
    Object.entries(response.headers ?? {}).map(([name, value]) => [name.toLowerCase(), String(value)]),
  );
  const body =
    response.isBase64Encoded && response.body ? Buffer.from(response.body, 'base64') : (response.body ?? '');
  return {
    status: response.statusCode ?? 200,
    file: {
      body,
      contentType: headers['content-type'] ?? 'application/json',
      headers: Object.fromEntries(Object.entries(headers).filter(([name]) => !OWN_HEADERS.has(name))),
    },
  };
}
