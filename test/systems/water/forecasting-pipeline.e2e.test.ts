import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getBytes, getJson, S3ObjectStore } from '../../../adapters/s3-object-store.js';
import { ModelRegistry } from '../../../core/registry/model-registry.js';
import { listKeys } from '../../../local/inspect-data.js';
import { LocalRuntime } from '../../../local/local-runtime.js';

/**
 * The water forecasting system on this machine with the real handlers and ASL: init-model,
 * water-retrain (kept and promoted), the forecast service behind its local Function URL, and the
 * platform's rollback of the water model.
 */
let runtime: LocalRuntime;
let dataDir: string;
let registry: ModelRegistry;

const order = { p: 1, d: 0, q: 1, P: 0, D: 1, Q: 1, s: 24 };
const source = { kind: 'generated', seed: 5, days: 24, zones: 1, metersPerZone: 2, malformedRate: 0.001 };

async function streamShare(untilShare: number) {
  for (let i = 0; i < 30; i++) {
    const run = await runtime.stateMachines.startExecution('water-stream', {
      source,
      initialShare: 0.4,
      batchSize: 100,
      numBatches: 1,
    });
    const output = run.output as { cursor: { offset: number; total: number }; noNewData: boolean };
    if (output.noNewData || output.cursor.offset >= output.cursor.total * untilShare) break;
  }
  await runtime.eventSource.waitUntilIdle(60_000);
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'smlp-forecasting-'));
  runtime = await LocalRuntime.start({ dataDir, shardCount: 2, pollIntervalMs: 50 });
  registry = new ModelRegistry({
    store: new S3ObjectStore(runtime.s3, runtime.names.artifactsBucket),
    pipeline: 'water',
    model: 'forecast',
  });
}, 60_000);
afterAll(async () => {
  await runtime?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('water forecasting, end to end on the local runtime', () => {
  let firstChampion: string;

  it('water-init-model trains on the initial share, promotes the first champion and writes a report with a picture', async () => {
    // Prepare
    await streamShare(0.5);
    // Act
    const execution = await runtime.stateMachines.startExecution('water-init-model', {
      order,
      holdoutHours: 24,
    });
    // Assess
    expect(execution.status, execution.cause).toBe('SUCCEEDED');
    const champion = await registry.loadChampion();
    expect(champion?.pointer.reason).toMatch(/^no champion yet/);
    firstChampion = champion?.pointer.version as string;
    const runId = (execution.output as { runId: string }).runId;
    const reports = await listKeys(runtime.s3, runtime.names.artifactsBucket, `reports/water/${runId}/`);
    expect(reports.sort()).toEqual([
      `reports/water/${runId}/report.json`,
      `reports/water/${runId}/report.svg`,
    ]);
    const svg = Buffer.from(
      (await getBytes(runtime.s3, runtime.names.artifactsBucket, `reports/water/${runId}/report.svg`)) ?? [],
    ).toString();
    expect(svg).toMatch(/^<svg /);
    expect(svg).toContain('80% interval');
    expect(svg).toContain('training window: ');
  }, 120_000);

  it('serves forecasts with intervals and the model version from the local Function URL', async () => {
    // Act
    const response = await fetch(`${runtime.functionUrls['water-forecast']}?horizon=12`);
    const bad = await fetch(`${runtime.functionUrls['water-forecast']}?horizon=0`);
    // Assess
    expect(response.status).toBe(200);
    const body = (await response.json()) as { modelVersion: string; forecast: Record<string, number[]> };
    expect(body).toMatchObject({ pipeline: 'water', model: 'forecast', modelVersion: firstChampion });
    const f = body.forecast;
    expect(f.mean).toHaveLength(12);
    f.mean?.forEach((mean, i) => {
      expect(f.lower95?.[i]).toBeLessThanOrEqual(f.lower80?.[i] as number);
      expect(f.lower80?.[i]).toBeLessThanOrEqual(mean);
      expect(f.upper80?.[i]).toBeGreaterThanOrEqual(mean);
      expect(f.upper95?.[i]).toBeGreaterThanOrEqual(f.upper80?.[i] as number);
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      error: 'horizon must be a whole number from 1 to 336 in decimal digits (e.g. ?horizon=24), got "0"',
    });
  }, 30_000);

  it('water-retrain keeps the champion when the challenger is not better by the required margin, records why, and archives what it used', async () => {
    // Prepare
    await streamShare(0.75);
    const rawBefore = await listKeys(runtime.s3, runtime.names.dataBucket, 'raw/water/');
    // Act: a margin no challenger can meet.
    const execution = await runtime.stateMachines.startExecution('water-retrain', {
      order,
      holdoutHours: 24,
      rule: { minRelativeImprovement: 0.99 },
    });
    // Assess
    expect(execution.status, execution.cause).toBe('SUCCEEDED');
    const output = execution.output as { runId: string; decision: { promoted: boolean; reason: string } };
    expect(output.decision.promoted).toBe(false);
    expect(output.decision.reason).toMatch(/required: better by 99\.0%; champion kept$/);
    expect((await registry.champion())?.version).toBe(firstChampion);
    const decision = await getJson<{ reason: string; challenger: { metrics: Record<string, number> } }>(
      runtime.s3,
      runtime.names.artifactsBucket,
      `runs/water/${output.runId}/decision.json`,
    );
    expect(decision?.reason).toBe(output.decision.reason);
    // The window's filled hours travel with the scores into the decision record, and into the report.
    expect(decision?.challenger.metrics).toMatchObject({
      filledHours: expect.any(Number),
      longestGapHours: expect.any(Number),
    });
    const report = await getJson<{ gaps: { windowHours: number; filledHours: number } }>(
      runtime.s3,
      runtime.names.artifactsBucket,
      `reports/water/${output.runId}/report.json`,
    );
    expect(report?.gaps.filledHours).toBe(decision?.challenger.metrics.filledHours);
    expect(report?.gaps.windowHours).toBeGreaterThan(0);
    expect(await listKeys(runtime.s3, runtime.names.dataBucket, 'raw/water/')).toEqual([]);
    const archived = await listKeys(runtime.s3, runtime.names.dataBucket, 'archive/water/');
    expect(archived).toEqual(expect.arrayContaining(rawBefore.map((k) => k.replace(/^raw\//, 'archive/'))));
    // The challenger is registered (with what it was trained on) even though it was not promoted.
    const versions = await registry.listVersions();
    expect(versions).toHaveLength(2);
    const challenger = await registry.getVersion(versions[1] as string);
    expect(challenger?.metadata.trainedOn.map((t) => t.key).sort()).toEqual(rawBefore.sort());
  }, 180_000);

  it('water-retrain with fits cut short: the second start catches it, and a fit in doubt does not decide', async () => {
    // Prepare: some new hours to train on (the rest is for the next test).
    await runtime.stateMachines.startExecution('water-stream', {
      source,
      initialShare: 0.4,
      batchSize: 40,
      numBatches: 1,
    });
    await runtime.eventSource.waitUntilIdle(60_000);
    const before = (await registry.champion())?.version;
    // Act: one optimiser iteration per fit, and a rule that would promote any challenger.
    const retrain = await runtime.stateMachines.startExecution('water-retrain', {
      order,
      holdoutHours: 24,
      maxIterations: 1,
      rule: { minRelativeImprovement: -1, requireAicNotWorse: false },
    });
    // Assess
    expect(retrain.status, retrain.cause).toBe('SUCCEEDED');
    const output = retrain.output as { runId: string; decision: { promoted: boolean; reason: string } };
    expect(output.decision.promoted).toBe(false);
    expect(output.decision.reason).toMatch(
      /may not decide a promotion: its fit is in doubt \(the optimiser from CSS estimates stopped at log-likelihood .*; a second start from zero reached .*\); champion kept$/,
    );
    expect((await registry.champion())?.version).toBe(before);
    const decision = await getJson<{ reason: string; challenger: { doubt?: string } }>(
      runtime.s3,
      runtime.names.artifactsBucket,
      `runs/water/${output.runId}/decision.json`,
    );
    expect(decision?.reason).toBe(output.decision.reason);
    expect(decision?.challenger.doubt).toMatch(/^the optimiser from CSS estimates stopped/);
  }, 180_000);
  it('water-retrain promotes a challenger the rule accepts, and rollback restores the previous champion', async () => {
    // Prepare
    await streamShare(1);
    // Act
    const retrain = await runtime.stateMachines.startExecution('water-retrain', {
      order,
      holdoutHours: 24,
      rule: { minRelativeImprovement: -1, requireAicNotWorse: false },
    });
    const promoted = (await registry.champion())?.version;
    const rollback = await runtime.stateMachines.startExecution('rollback', {
      pipeline: 'water',
      reason: 'test: forecasts looked off',
    });
    // Assess
    expect(retrain.status, retrain.cause).toBe('SUCCEEDED');
    expect(retrain.output, JSON.stringify(retrain.output)).toMatchObject({ decision: { promoted: true } });
    expect(promoted).not.toBe(firstChampion);
    expect(rollback.status, rollback.cause).toBe('SUCCEEDED');
    const after = await registry.champion();
    expect(after).toMatchObject({
      version: firstChampion,
      action: 'rollback',
      reason: 'test: forecasts looked off',
    });
    expect((await registry.history()).map((h) => h.action)).toEqual(['promote', 'promote', 'rollback']);
  }, 180_000);
});
