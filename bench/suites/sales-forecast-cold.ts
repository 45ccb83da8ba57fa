/**
 * One cold start of the sales forecast service, in a fresh process (spawned by the sales-fanout
 * suite with the runtime's endpoints in the environment): the handler's import, then two requests.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

const event = {
  rawPath: '/forecast',
  queryStringParameters: { store: '1', horizon: '42' },
  requestContext: { http: { method: 'GET' } },
} as unknown as APIGatewayProxyEventV2;

const t0 = performance.now();
const { handler } = await import('../../systems/sales/handlers/api.js');
const t1 = performance.now();
const first = await handler(event);
const t2 = performance.now();
await handler(event);
const t3 = performance.now();
if (first.statusCode !== 200) throw new Error(`forecast: ${first.statusCode} ${first.body}`);
console.log(JSON.stringify({ importMs: t1 - t0, firstMs: t2 - t1, secondMs: t3 - t2 }));
