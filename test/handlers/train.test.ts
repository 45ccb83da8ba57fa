import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelRegistry } from '../../core/registry/model-registry.js';
import { emptyBuckets, mergeReadings } from '../../core/water/hourly-series.js';
import type { WaterReading } from '../../core/water/reading.js';
import { S3ObjectStore } from '../../lambdas/commons/s3-object-store.js';
import { getJson } from '../../lambdas/commons/s3-objects.js';
import { loadBuckets, saveBuckets } from '../../lambdas/commons/water-series-store.js';
import { startTestEmulators, type TestEmulators } from '../support/emulators.js';

let emulators: TestEmulators;
let train: typeof import('../../lambdas/train/index.js');

beforeAll(async () => {
  emulators = await startTestEmulators({ kinesis: false });
  train = await import('../../lambdas/train/index.js');
});
afterAll(async () => emulators?.stop());

/** Hourly readings of one meter for `days` days, from a function of the hour. */
function readings(days: number, consumption: (hour: number) => number): WaterReading[] {
  return Array.from({ length: days * 24 }, (_, h) => ({
    meterId: 'm1',
    zone: 'zone-a',
    timestamp: new Date(Date.UTC(2024, 0, 1, h)).toISOString(),
    consumption: consumption(h),
    temperature: 5 + (h % 24) / 4 + Math.sin(h * 3.1),
    holiday: false,
  }));
}

const event = (runId: string) => ({
  action: 'train',
  input: {
    pipeline: 'water',
    order: { p: 1, d: 0, q: 1, P: 0, D: 1, Q: 1, s: 24 },
    holdoutHours: 24,
    series: { result: { runId, manifestKey: `runs/water/${runId}/data.json` } },
  },
  execution: { name: runId },
});

describe('train handler against the S3 emulator', () => {
  it('fails with FitFailed, records why, and registers nothing when the fit gives no model', async () => {
    // Prepare: a constant series has no variance to fit.
    const buckets = emptyBuckets();
    mergeReadings(
      buckets,
      readings(10, () => 1.5),
    );
    await saveBuckets(emulators.s3, 'water', buckets, (await loadBuckets(emulators.s3, 'water'))?.etag);
    // Act
    const outcome = train.handler(event('run-constant'));
    // Assess
    await expect(outcome).rejects.toMatchObject({
      name: 'FitFailed',
      message: expect.stringMatching(/^challenger fit failed: /),
    });
    const record = await getJson<{ failed: string }>(
      emulators.s3,
      emulators.artifactsBucket,
      'runs/water/run-constant/training.json',
    );
    expect(record?.failed).toMatch(/\w/);
    const registry = new ModelRegistry({
      store: new S3ObjectStore(emulators.s3, emulators.artifactsBucket),
      pipeline: 'water',
    });
    expect(await registry.listVersions()).toEqual([]);
  }, 60_000);

  it('registers a scored challenger with its parameters, metrics and holdout predictions', async () => {
    // Prepare
    const buckets = emptyBuckets();
    mergeReadings(
      buckets,
      readings(12, (h) => 2 + Math.sin((2 * Math.PI * h) / 24) + Math.sin(h * 7.3) * 0.1),
    );
    await saveBuckets(emulators.s3, 'water', buckets, (await loadBuckets(emulators.s3, 'water'))?.etag);
    // Act
    const result = await train.handler(event('run-ok'));
    // Assess
    expect(result.challenger).toMatchObject({
      order: '(1,0,1)(0,1,1)24',
      holdoutMae: expect.any(Number),
      aic: expect.any(Number),
    });
    expect(result.champion).toBeUndefined();
    const registry = new ModelRegistry({
      store: new S3ObjectStore(emulators.s3, emulators.artifactsBucket),
      pipeline: 'water',
    });
    const version = await registry.getVersion(result.challenger.version);
    expect(version?.metadata.parameters).toMatchObject({
      order: '(1,0,1)(0,1,1)24',
      holdoutHours: 24,
      windowPoints: 288,
    });
    expect(version?.metadata.metrics.holdoutMae).toBeCloseTo(result.challenger.holdoutMae, 12);
    const evaluation = await getJson<{ holdout: { actual: number[]; challenger: number[] } }>(
      emulators.s3,
      emulators.artifactsBucket,
      result.evaluationKey,
    );
    expect(evaluation?.holdout.actual).toHaveLength(24);
    expect(evaluation?.holdout.challenger).toHaveLength(24);
  }, 60_000);
});
