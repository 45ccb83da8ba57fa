import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../../systems/online/api/routes.js';
import type { OnlineResult } from '../../../systems/online/model/result-types.js';
import { onlineSettings } from '../../../systems/online/model/settings.js';
import { generateOnlineRecords } from '../../../systems/online/records/generator.js';
import { ONLINE_MODELS, RECENT_LIMIT } from '../../../systems/online/store/keys.js';
import { readRecent } from '../../../systems/online/store/results-store.js';
import { startTestEmulators, type TestEmulators } from '../../support/emulators.js';
import { emptyBuckets, onlineEvent, watchS3 } from './online-support.js';

/**
 * The REST API called with Function URL events, against the S3 emulator: first empty, then after
 * the learner has learned 700 records (more than the 600 recent/ keeps, so history beyond them
 * comes from the Parquet objects).
 */

let emulators: TestEmulators;
let api: typeof import('../../../systems/online/handlers/api.js');
let learner: typeof import('../../../systems/online/handlers/learner.js');
const LEARNED = 700;
const records = generateOnlineRecords({ seed: 5, count: LEARNED });
/** The S3 keys the API read for the last request. */
let reads: string[] = [];

beforeAll(async () => {
  emulators = await startTestEmulators({ kinesis: false });
  api = await import('../../../systems/online/handlers/api.js');
  learner = await import('../../../systems/online/handlers/learner.js');
  watchS3(api.s3, 'test-count-reads', (command, input) => {
    reads.push(`${command} ${input.Key ?? ''}`);
  });
});
afterAll(async () => emulators?.stop());

function httpEvent(rawPath: string, query?: Record<string, string>, method = 'GET'): APIGatewayProxyEventV2 {
  const now = Date.now();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString: new URLSearchParams(query).toString(),
    headers: {},
    ...(query ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: 'anonymous',
      apiId: 'local',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      requestId: 'test',
      routeKey: '$default',
      stage: '$default',
      time: new Date(now).toUTCString(),
      timeEpoch: now,
    },
    isBase64Encoded: false,
  };
}

async function get(rawPath: string, query?: Record<string, string>, method = 'GET') {
  reads = [];
  const response = (await api.handler(
    httpEvent(rawPath, query, method),
  )) as APIGatewayProxyStructuredResultV2;
  return {
    status: response.statusCode,
    body: JSON.parse(response.body as string) as Record<string, unknown>,
  };
}
const items = (body: Record<string, unknown>) => body.items as OnlineResult[];
const ticks = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe('online API before anything was learned', () => {
  it('answers 404 with a clear message for the latest results, and empty history and metrics', async () => {
    // Prepare
    await emptyBuckets(emulators.s3, [emulators.dataBucket, emulators.artifactsBucket]);
    // Act
    const classification = await get('/classification/latest');
    const regression = await get('/api/online/regression/latest');
    const history = await get('/history', { model: 'regression' });
    const metrics = await get('/metrics');
    // Assess
    expect(classification.status).toBe(404);
    expect(classification.body.error).toMatch(/classification model has learned nothing yet/);
    expect(regression.status).toBe(404);
    expect(history).toEqual({ status: 200, body: { items: [] } });
    expect(metrics.status).toBe(200);
    expect(metrics.body.models).toMatchObject({
      classification: { modelName: 'hoeffding-tree', learned: null, metrics: null },
      regression: { modelName: 'linear-regression', learned: null, metrics: null },
    });
  });
});

describe('online API after 700 records', () => {
  beforeAll(async () => {
    await emptyBuckets(emulators.s3, [emulators.dataBucket, emulators.artifactsBucket]);
    for (let start = 0; start < LEARNED; start += 100)
      await learner.handler(onlineEvent(records.slice(start, start + 100), start));
  });

  it("serves each model's latest result, also under the /api/online prefix CloudFront forwards", async () => {
    // Act
    const classification = await get('/classification/latest');
    const prefixed = await get('/api/online/classification/latest');
    const regression = await get('/regression/latest/');
    // Assess
    expect(classification.status).toBe(200);
    expect(classification.body).toMatchObject({
      model: 'classification',
      tick: LEARNED - 1,
      time: records.at(-1)?.time,
      truth: records.at(-1)?.label,
      learned: LEARNED,
      modelName: 'hoeffding-tree',
    });
    expect(prefixed).toEqual(classification);
    expect(regression.body).toMatchObject({
      model: 'regression',
      tick: LEARNED - 1,
      truth: records.at(-1)?.target,
    });
  });

  it("serves both models' metrics, learned counts, drift resets, model names and settings", async () => {
    // Act
    const { status, body } = await get('/metrics');
    // Assess
    expect(status).toBe(200);
    expect(body.window).toBe(onlineSettings.window);
    const models = body.models as Record<string, Record<string, unknown>>;
    expect(models.classification).toMatchObject({
      modelName: 'hoeffding-tree',
      settings: JSON.parse(JSON.stringify(onlineSettings.classification)),
      learned: LEARNED,
      tick: LEARNED - 1,
      metrics: { count: onlineSettings.window },
    });
    expect(Object.keys(models.classification?.metrics as object)).toEqual([
      'count',
      'accuracy',
      'f1',
      'logLoss',
      'rocAuc',
    ]);
    expect(models.regression).toMatchObject({ modelName: 'linear-regression', learned: LEARNED });
    expect(typeof models.regression?.driftResets).toBe('number');
  });

  it('serves history since a tick from the recent results when they reach back that far', async () => {
    // Act
    const { status, body } = await get('/history', { model: 'classification', since: '650' });
    // Assess
    expect(status).toBe(200);
    expect(items(body).map((r) => r.tick)).toEqual(ticks(650, LEARNED));
    expect(reads.some((read) => read.includes('/history/'))).toBe(false);
  });

  it('serves older history from Parquet, equal to the recent results where both hold it', async () => {
    // Prepare
    const recent = await readRecent(emulators.s3, emulators.dataBucket, 'regression');
    const firstRecent = LEARNED - RECENT_LIMIT;
    // Act
    const across = await get('/history', { model: 'regression', since: '50', limit: '100' });
    const all = await get('/history', { model: 'regression', since: '0', limit: '5000' });
    // Assess
    expect(recent[0]?.tick).toBe(firstRecent);
    expect(items(across.body).map((r) => r.tick)).toEqual(ticks(50, 150));
    expect(reads.some((read) => read.includes('/history/'))).toBe(true);
    expect(items(across.body).slice(firstRecent - 50)).toEqual(recent.slice(0, 150 - firstRecent));
    expect(items(all.body).map((r) => r.tick)).toEqual(ticks(0, LEARNED));
    expect(items(all.body).slice(firstRecent)).toEqual(recent);
  });

  it('serves history since a time, and the latest results when no since is given', async () => {
    // Prepare
    const since = records[30]?.time as string;
    // Act
    const fromTime = await get('/history', { model: 'classification', since, limit: '20' });
    const zoned = await get('/history', {
      model: 'classification',
      since: since.replace('T00:', 'T02:').replace('Z', '+02:00'),
      limit: '20',
    });
    const latest = await get('/history', { model: 'classification' });
    // Assess
    expect(items(fromTime.body).map((r) => r.tick)).toEqual(ticks(30, 50));
    expect(zoned.body).toEqual(fromTime.body);
    expect(items(latest.body).map((r) => r.tick)).toEqual(ticks(LEARNED - 500, LEARNED));
  });

  it.each([
    [{}, /model is required/],
    [{ model: 'clustering' }, /model must be classification or regression, got "clustering"/],
    [{ model: 'regression', since: 'yesterday' }, /since must be an ISO-8601 time with a zone/],
    [{ model: 'regression', since: '2024-02-30T00:00:00Z' }, /since must be/],
    [{ model: 'regression', limit: '0' }, /limit must be a whole number from 1 to 5000, got "0"/],
    [{ model: 'regression', limit: '5001' }, /limit must be/],
    [{ model: 'regression', limit: 'ten' }, /limit must be/],
    [
      { model: 'regression', from: '3' },
      /unknown parameter "from" for \/history; it takes model, since, limit/,
    ],
  ])(
    'refuses bad history parameters %o with 400 and the reason, before reading S3',
    async (query, reason) => {
      // Act
      const { status, body } = await get('/history', query as Record<string, string>);
      // Assess
      expect(status).toBe(400);
      expect(body.error).toMatch(reason);
      expect(reads).toEqual([]);
    },
  );

  it('answers 404 for a path it does not serve and 405 for a method other than GET', async () => {
    // Act
    const unknown = await get('/classification/oldest');
    const post = await get('/metrics', undefined, 'POST');
    // Assess
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatch(
      /GET \/classification\/latest, GET \/regression\/latest, GET \/history/,
    );
    expect(post.status).toBe(405);
  });
});

describe('the OpenAPI document', () => {
  it('lists exactly the routes the handler serves, each with its parameters and responses', async () => {
    // Act
    const { status, body } = await get('/api/online/openapi.json');
    // Assess
    expect(status).toBe(200);
    expect(body.openapi).toBe('3.1.0');
    const paths = body.paths as Record<string, { get: Record<string, unknown> }>;
    expect(Object.keys(paths).sort()).toEqual(ROUTES.map((r) => r.path).sort());
    for (const [path, item] of Object.entries(paths)) {
      const required = (
        (item.get.parameters as { name: string; required: boolean }[] | undefined) ?? []
      ).filter((p) => p.required);
      const served = await get(path, Object.fromEntries(required.map((p) => [p.name, 'regression'])));
      expect([path, served.status]).toEqual([path, 200]);
      expect(Object.keys(item.get.responses as object)).toContain('200');
    }
    const history = paths['/history']?.get.parameters as { name: string }[];
    expect(history.map((p) => p.name)).toEqual(['model', 'since', 'limit']);
  });

  it('describes the IAM (SigV4) authentication and every response schema it refers to', async () => {
    // Act
    const { body } = await get('/openapi.json');
    // Assess
    const components = body.components as {
      schemas: Record<string, unknown>;
      securitySchemes: Record<string, { description: string }>;
    };
    expect(body.security).toEqual([{ sigv4: [] }]);
    expect(components.securitySchemes.sigv4?.description).toMatch(
      /Signature Version 4 for the `lambda` service/,
    );
    const refs = [...JSON.stringify(body).matchAll(/"#\/components\/schemas\/(\w+)"/g)].map((m) => m[1]);
    for (const ref of new Set(refs)) expect(components.schemas).toHaveProperty(ref as string);
    for (const model of ONLINE_MODELS) {
      const schema = components.schemas[
        `${model === 'classification' ? 'Classification' : 'Regression'}Result`
      ] as {
        required: string[];
      };
      const latest = await get(`/${model}/latest`);
      for (const field of schema.required) expect(latest.body).toHaveProperty(field);
    }
  });
});
