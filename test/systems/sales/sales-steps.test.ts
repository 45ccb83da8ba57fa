import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { handler as api } from '../../../systems/sales/handlers/api.js';
import { handler as plan } from '../../../systems/sales/handlers/train-plan.js';
import { handler as trainStores } from '../../../systems/sales/handlers/train-stores.js';

/** Refusals that need no storage: each names the field and what it expected. */
const step = (handler: (event: unknown) => Promise<unknown>, action: string, input: unknown) =>
  handler({ action, input, execution: { name: 'sales-test-run' } });

const get = async (rawPath: string, query: Record<string, string> = {}, method = 'GET') => {
  const response = await api({
    rawPath,
    queryStringParameters: query,
    requestContext: { http: { method } },
  } as unknown as APIGatewayProxyEventV2);
  return {
    status: response.statusCode,
    error: (JSON.parse(String(response.body)) as { error?: string }).error,
  };
};

describe('sales steps refuse bad input, naming the field', () => {
  it('plan: stores must be store numbers; a degradation run must name its monitoring run', async () => {
    // Act / Assess
    await expect(step(plan, 'plan', { stores: [] })).rejects.toThrow(/stores must be a non-empty list/);
    await expect(step(plan, 'plan', { stores: [3, 2000] })).rejects.toThrow(
      /stores\[1\] must be a store number 1\.\.1115, got 2000/,
    );
    await expect(step(plan, 'plan', { trigger: 'degradation' })).rejects.toThrow(/monitoringRun is required/);
  });

  it('train-stores: a batch is the Distributed Map’s Items and BatchInput', async () => {
    // Act / Assess
    await expect(step(trainStores, 'train-stores', { BatchInput: { runId: 'r1' } })).rejects.toThrow(
      /Items must be the batch of stores/,
    );
    await expect(
      step(trainStores, 'train-stores', { Items: [{ store: 'one' }], BatchInput: { runId: 'r1' } }),
    ).rejects.toThrow(/Items\[0\]\.store must be a store number/);
    await expect(step(trainStores, 'train-stores', { Items: [{ store: 1 }] })).rejects.toThrow(
      /BatchInput\.runId is required/,
    );
  });

  it('summarize: needs the Map’s ResultWriter details', async () => {
    // Act / Assess
    await expect(step(plan, 'summarize', { plan: {}, map: {} })).rejects.toThrow(/ResultWriterDetails/);
  });

  it('the forecast service answers 400 for a bad parameter, 404 for an unknown route, 405 for a write', async () => {
    // Act
    const horizon = await get('/forecast', { store: '3', horizon: '43' });
    const missing = await get('/api/sales/forecast');
    const unknown = await get('/forecast', { store: '3', days: '2' });
    const route = await get('/predict');
    const post = await get('/health', {}, 'POST');
    // Assess
    expect(horizon).toEqual({ status: 400, error: 'horizon must be a whole number 1..42, got "43"' });
    expect(missing).toEqual({ status: 400, error: 'store is required (a whole number 1..1115)' });
    expect(unknown.status).toBe(400);
    expect(unknown.error).toMatch(/unknown parameter "days" for \/forecast; it takes store, horizon/);
    expect(route.status).toBe(404);
    expect(route.error).toMatch(/the routes are GET \/forecast, GET \/health, GET \/stores, GET \/history/);
    expect(post.status).toBe(405);
  });
});
