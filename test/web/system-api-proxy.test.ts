import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SystemDefinition } from '../../lib/config/system-definition.js';
import { type ConsoleServer, startConsoleServer } from '../../local/console/console-server.js';
import { type StepFunctionsSource, stepFunctionsSourceOf } from '../../local/console/console-sources.js';
import { StreamStats } from '../../local/console/stream-stats.js';
import type { LocalHandler } from '../../local/state-machine-runner.js';
import { sensorsSystem } from '../../systems/sensors/system.js';

/**
 * The console's pass-through to a system's web API: `/api/<system>/…` reaches that system's
 * `web.apiFunction` handler in-process as a Function URL event, and the handler's answer reaches
 * the browser as it gave it. A stand-in system and handler, so the test is about the forwarding;
 * no emulator is needed (the S3 and Step Functions clients point at a closed port).
 */
const demo = {
  ...sensorsSystem,
  name: 'demo',
  title: 'A system with a page',
  web: { page: 'systems/demo/web/page.tsx', title: 'Demo dashboard', apiFunction: 'demo-api' },
} as SystemDefinition;
const pageless = { ...sensorsSystem, name: 'pageless', web: undefined } as SystemDefinition;
const broken = {
  ...sensorsSystem,
  name: 'broken',
  web: { page: 'systems/broken/web/page.tsx', title: 'Broken', apiFunction: 'broken-api' },
} as SystemDefinition;
const unloaded = {
  ...sensorsSystem,
  name: 'unloaded',
  web: { page: 'systems/unloaded/web/page.tsx', title: 'Unloaded', apiFunction: 'unloaded-api' },
} as SystemDefinition;

const events: APIGatewayProxyEventV2[] = [];
/** Answers as a Function URL handler does; `/raw` returns a plain value, not a response object. */
const demoApi: LocalHandler = async (event) => {
  const request = event as APIGatewayProxyEventV2;
  events.push(request);
  if (request.rawPath.endsWith('/raw')) return { plain: true };
  if (request.rawPath.endsWith('/missing'))
    return {
      statusCode: 404,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ error: 'nothing learned yet' }),
    };
  return {
    statusCode: 200,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'max-age=5', 'X-Api': 'demo' },
    body: JSON.stringify({
      path: request.rawPath,
      query: request.rawQueryString,
      method: request.requestContext.http.method,
    }),
  };
};
const handlers = new Map<string, LocalHandler>([
  ['demo-api', demoApi],
  [
    'broken-api',
    async () => {
      throw new Error('the bucket is gone');
    },
  ],
]);

let server: ConsoleServer;
let stepFunctions: StepFunctionsSource;
const closed = {
  region: 'us-east-1',
  endpoint: 'http://127.0.0.1:9',
  credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
};
const s3 = new S3Client(closed);

beforeAll(async () => {
  stepFunctions = stepFunctionsSourceOf(new SFNClient(closed));
  server = await startConsoleServer({
    sources: {
      systems: [demo, pageless, broken, unloaded],
      s3,
      dataBucket: 'data',
      artifactsBucket: 'artifacts',
      stream: { stats: new StreamStats(), shardPositions: () => [], onFailure: () => [] },
      stepFunctions,
      handlers,
    },
    assetsDir: '/nonexistent',
  });
});
afterAll(async () => {
  await server?.stop();
  stepFunctions?.close();
  s3.destroy();
});

describe('the console pass-through to a system web API', () => {
  it('hands the path under /api/<system>, the query and the method to the handler, and its answer back', async () => {
    // Act
    const response = await fetch(
      `${server.url}/api/demo/history?model=classification&since=2026-11-30T10%3A00%3A00Z`,
    );

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('x-api')).toBe('demo');
    expect(response.headers.get('cache-control')).toBe('max-age=5');
    expect(await response.json()).toEqual({
      path: '/api/demo/history',
      query: 'model=classification&since=2026-11-30T10%3A00%3A00Z',
      method: 'GET',
    });
    const event = events.at(-1);
    expect(event?.queryStringParameters).toEqual({ model: 'classification', since: '2026-11-30T10:00:00Z' });
    expect(event?.version).toBe('2.0');
  });

  it('forwards deeper paths and POST bodies as they came', async () => {
    // Act
    const response = await fetch(`${server.url}/api/demo/classification/latest/extra`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ a: 1 }),
    });

    // Assess
    expect(await response.json()).toEqual({
      path: '/api/demo/classification/latest/extra',
      query: '',
      method: 'POST',
    });
    expect(JSON.parse(events.at(-1)?.body ?? 'null')).toEqual({ a: 1 });
  });

  it("passes the function's refusals through with their status and message", async () => {
    // Act
    const response = await fetch(`${server.url}/api/demo/missing`);

    // Assess
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: 'nothing learned yet' });
  });

  it('answers a plain return value as JSON with 200, as a Function URL does', async () => {
    // Act
    const response = await fetch(`${server.url}/api/demo/raw`);

    // Assess
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ plain: true });
  });

  it('answers 502 with the reason when the function throws, and 503 when it is not loaded', async () => {
    // Act
    const thrown = await fetch(`${server.url}/api/broken/metrics`);
    const missing = await fetch(`${server.url}/api/unloaded/metrics`);

    // Assess
    expect(thrown.status).toBe(502);
    expect(await thrown.json()).toMatchObject({ error: 'the bucket is gone' });
    expect(missing.status).toBe(503);
    expect(await missing.json()).toEqual({
      error: 'unloaded-api (the API of unloaded) is not loaded in this runtime',
    });
  });

  it('routes nothing for a system without a page, and leaves the console API as it was', async () => {
    // Act
    const pagelessAnswer = await fetch(`${server.url}/api/pageless/metrics`);
    const systemsAnswer = await fetch(`${server.url}/api/systems/nope/reports`);

    // Assess
    expect(pagelessAnswer.status).toBe(404);
    expect(await pagelessAnswer.json()).toEqual({ error: 'no API route /api/pageless/metrics' });
    expect(systemsAnswer.status).toBe(404);
  });
});
