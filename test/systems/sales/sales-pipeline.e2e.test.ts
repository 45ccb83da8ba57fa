import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getBytes } from '../../../adapters/s3-object-store.js';
import { readParquet } from '../../../core/features/parquet-read.js';
import { listKeys } from '../../../local/inspect-data.js';
import { localDemoContext } from '../../../local/local-demo-context.js';
import { LocalRuntime } from '../../../local/local-runtime.js';
import type { ForecastView, HealthView } from '../../../systems/sales/api/views.js';
import { DEMO_SOURCE, demo } from '../../../systems/sales/demo.js';
import { defaultSalesGeneratorOptions, salesStores } from '../../../systems/sales/records/generator.js';
import { storeRegistry } from '../../../systems/sales/serving/champions.js';
import { salesKeys } from '../../../systems/sales/store/keys.js';
import { salesSystem } from '../../../systems/sales/system.js';
import { assertSystemParquetTables } from '../../support/table-schema.js';

/**
 * The sales system on the local runtime, as `npm run demo` runs it: 30 stores' history and
 * streamed days → one model per store through sales-train's Distributed Map (run locally from the
 * same ASL, in worker threads) → nightly forecasts with intervals → per-store monitoring, whose
 * event retrains only the stores whose sales dropped.
 */
let runtime: LocalRuntime;
let dataDir: string;
let summary: Record<string, unknown>;
const STORES = DEMO_SOURCE.stores;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'smlp-sales-'));
  runtime = await LocalRuntime.start({ dataDir, shardCount: 2, pollIntervalMs: 50, systems: [salesSystem] });
}, 60_000);
afterAll(async () => {
  await runtime?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const get = async (rawPath: string, query: Record<string, string> = {}) => {
  const { handler } = await import('../../../systems/sales/handlers/api.js');
  const response = await handler({
    rawPath,
    queryStringParameters: query,
    requestContext: { http: { method: 'GET' } },
  } as unknown as APIGatewayProxyEventV2);
  return { status: response.statusCode, body: JSON.parse(String(response.body)) };
};

describe('sales forecasting per store, end to end on the local runtime', () => {
  it('trains a champion per store, forecasts nightly, and retrains only the stores whose sales dropped', async () => {
    // Act
    const { context, executions } = localDemoContext(runtime, {
      say: (line) => process.stderr.write(`${line}\n`),
      days: 60,
      dataDir,
      ingested: () => 0,
    });
    summary = await demo(context);

    // Assess: every execution succeeded; every store got a champion from the fan-out.
    expect(
      executions.filter((e) => e.status !== 'SUCCEEDED').map((e) => [e.stateMachine, e.error, e.cause]),
    ).toEqual([]);
    expect(summary.firstTraining).toMatchObject({ requested: STORES, promoted: STORES, failed: 0 });
    for (let store = 1; store <= STORES; store++)
      expect(
        await storeRegistry(runtime.s3, runtime.names.artifactsBucket, store).champion(),
        `store ${store}`,
      ).toBeDefined();

    // The drop is found in every store that had it, and each retrain trains only the stores
    // monitoring sent (a store whose week was merely unlucky may be among them: at most 1 in 10).
    const truth = salesStores({ ...defaultSalesGeneratorOptions, ...DEMO_SOURCE }).truth;
    const shifted = truth.filter((t) => t.shifted).map((t) => t.store);
    const retrains = summary.retrains as { requested: number; promoted: number; failed: number }[];
    expect(executions.filter((e) => e.stateMachine === 'sales-train')).toHaveLength(1 + retrains.length);
    const requested = executions
      .filter((e) => e.stateMachine === 'sales-daily')
      .map(
        (e) =>
          (e.output as { monitoring?: { retrain?: { requested?: number[] } } }).monitoring?.retrain
            ?.requested ?? [],
      )
      .filter((stores) => stores.length > 0);
    expect(retrains.map((r) => r.requested)).toEqual(requested.map((stores) => stores.length));
    for (const stores of requested) expect(stores.length).toBeLessThan(STORES);
    const flagged = new Set(requested.flat());
    expect(shifted.filter((store) => !flagged.has(store))).toEqual([]);
    const falseAlarms = [...flagged].filter((store) => !shifted.includes(store));
    expect(falseAlarms.length).toBeLessThanOrEqual((STORES - shifted.length) / 10);
    expect(retrains.every((r) => r.failed === 0)).toBe(true);
  }, 900_000);

  it('writes the nightly forecast of every store as Parquet in the declared table shape, intervals nested', async () => {
    // Prepare
    const keys = (await listKeys(runtime.s3, runtime.names.dataBucket, salesKeys.forecasts.prefix)).filter(
      (k) => k.endsWith('.parquet'),
    );
    // Act
    const bytes = (await getBytes(runtime.s3, runtime.names.dataBucket, keys.at(-1) as string)) as Uint8Array;
    const { rows } = await readParquet(bytes);
    // Assess
    expect(new Set(rows.map((r) => r.store)).size).toBe(STORES);
    expect(rows.length).toBe(STORES * 42);
    for (const row of rows) {
      const r = row as Record<'lo95' | 'lo80' | 'mean' | 'hi80' | 'hi95', number>;
      expect(r.lo95).toBeLessThanOrEqual(r.lo80 + 1e-9);
      expect(r.lo80).toBeLessThanOrEqual(r.mean + 1e-9);
      expect(r.mean).toBeLessThanOrEqual(r.hi80 + 1e-9);
      expect(r.hi80).toBeLessThanOrEqual(r.hi95 + 1e-9);
    }
    await assertSystemParquetTables(runtime.s3, runtime.names.dataBucket, salesSystem);
  });

  it('draws the distribution of the stores’ errors beside the errors their backtests led to expect', async () => {
    // Act
    const bytes = await getBytes(
      runtime.s3,
      runtime.names.artifactsBucket,
      `${salesKeys.reportPrefix('latest')}errors.svg`,
    );
    // Assess
    const svg = Buffer.from(bytes as Uint8Array).toString('utf8');
    expect(svg).toMatch(/^<svg[^>]*>/);
    expect(svg).toContain(`Forecast error across ${STORES} stores`);
    expect(svg).toContain('backtest RMSPE (expected)');
  });

  it('serves a store’s forecast with 80% and 95% intervals and its model version, and its health', async () => {
    // Act
    const forecast = await get('/forecast', { store: '3', horizon: '14' });
    const health = await get('/health');
    const refused = await get('/forecast', { store: '0' });
    // Assess
    const view = forecast.body as ForecastView;
    const champion = await storeRegistry(runtime.s3, runtime.names.artifactsBucket, 3).champion();
    expect(forecast.status).toBe(200);
    expect(view.points).toHaveLength(14);
    expect(view.model.version).toBe(champion?.version);
    expect(
      view.points.every((p) => p.lo95 <= p.lo80 && p.lo80 <= p.mean && p.mean <= p.hi80 && p.hi80 <= p.hi95),
    ).toBe(true);
    expect((health.body as HealthView).championsLoaded).toBe(STORES);
    expect((health.body as HealthView).failedStores).toEqual([]);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatch(/store must be a whole number 1\.\.1115/);
  });

  it('rolls one store back to its previous champion, leaving the others', async () => {
    // Prepare: a store with two champions in its history (a retrained one)
    const retrainedStore = (
      await Promise.all(
        Array.from({ length: STORES }, async (_, i) => {
          const r = storeRegistry(runtime.s3, runtime.names.artifactsBucket, i + 1);
          return { store: i + 1, history: await r.history() };
        }),
      )
    ).find((s) => s.history.length >= 2);
    expect(retrainedStore).toBeDefined();
    const store = retrainedStore?.store as number;
    const before = await storeRegistry(runtime.s3, runtime.names.artifactsBucket, store).champion();
    const other = await storeRegistry(
      runtime.s3,
      runtime.names.artifactsBucket,
      store === 1 ? 2 : 1,
    ).champion();
    // Act
    const record = await runtime.stateMachines.startExecution('rollback', {
      pipeline: 'sales',
      model: `store-${String(store).padStart(4, '0')}`,
      reason: 'a promotion gone wrong',
    });
    // Assess
    expect(record.status).toBe('SUCCEEDED');
    const after = await storeRegistry(runtime.s3, runtime.names.artifactsBucket, store).champion();
    expect(after?.version).toBe(before?.previous);
    expect(
      (await storeRegistry(runtime.s3, runtime.names.artifactsBucket, store === 1 ? 2 : 1).champion())
        ?.version,
    ).toBe(other?.version);
  });
});
