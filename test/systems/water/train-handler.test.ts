import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, S3ObjectStore } from '../../../adapters/s3-object-store.js';
import { parseChallengeResult } from '../../../core/lifecycle/index.js';
import { ModelRegistry } from '../../../core/registry/model-registry.js';
import { emptyBuckets, mergeReadings } from '../../../systems/water/model/hourly-series.js';
import type { WaterReading } from '../../../systems/water/records/reading.js';
import { waterKeys } from '../../../systems/water/store/keys.js';
import { loadBuckets, saveBuckets } from '../../../systems/water/store/series-store.js';
import { startTestEmulators, type TestEmulators } from '../../support/emulators.js';

let emulators: TestEmulators;
let train: typeof import('../../../systems/water/handlers/train.js');
let registry: ModelRegistry;

beforeAll(async () => {
  emulators = await startTestEmulators({ kinesis: false });
  train = await import('../../../systems/water/handlers/train.js');
  registry = new ModelRegistry({
    store: new S3ObjectStore(emulators.s3, emulators.artifactsBucket),
    pipeline: 'water',
    model: 'forecast',
  });
});
afterAll(async () => emulators?.stop());

/** Hourly readings of one meter for `days` days, from a function of the hour; none in the hours `missing` picks. */
function readings(
  days: number,
  consumption: (hour: number) => number,
  missing: (hour: number) => boolean = () => false,
): WaterReading[] {
  const all = Array.from({ length: days * 24 }, (_, h) => ({
    meterId: 'm1',
    zone: 'zone-a',
    timestamp: new Date(Date.UTC(2024, 0, 1, h)).toISOString(),
    consumption: consumption(h),
    temperature: 5 + (h % 24) / 4 + Math.sin(h * 3.1),
    holiday: false,
  }));
  return all.filter((_, h) => !missing(h));
}

async function storeSeries(
  days: number,
  consumption: (hour: number) => number,
  missing?: (hour: number) => boolean,
) {
  const buckets = emptyBuckets();
  mergeReadings(buckets, readings(days, consumption, missing));
  await saveBuckets(emulators.s3, buckets, (await loadBuckets(emulators.s3))?.etag);
}

const daily = (h: number) => 2 + Math.sin((2 * Math.PI * h) / 24) + Math.sin(h * 7.3) * 0.1;

const event = (runId: string, input: Record<string, unknown> = {}) => ({
  action: 'train',
  input: {
    order: { p: 1, d: 0, q: 1, P: 0, D: 1, Q: 1, s: 24 },
    holdoutHours: 24,
    series: { result: { runId, manifestKey: `runs/water/${runId}/data.json` } },
    ...input,
  },
  execution: { name: runId },
});

interface TrainOutput {
  challenger: { version: string; label: string; metrics: Record<string, number | null> };
  champion?: { version: string; label: string; metrics: Record<string, number | null> };
  evaluationKey: string;
  gaps: Record<string, unknown>;
}

describe('train handler against the S3 emulator', () => {
  it('fails with FitFailed, records why, and registers nothing when the fit gives no model', async () => {
    // Prepare: a constant series has no variance to fit.
    await storeSeries(10, () => 1.5);
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
      waterKeys.run('run-constant').training,
    );
    expect(record?.failed).toMatch(/\w/);
    expect(await registry.listVersions()).toEqual([]);
  }, 60_000);

  it('fails with FitFailed when the series is shorter than a week plus the holdout', async () => {
    // Prepare
    await storeSeries(5, daily);
    // Act
    const outcome = train.handler(event('run-short'));
    // Assess
    await expect(outcome).rejects.toMatchObject({
      name: 'FitFailed',
      message: '120 hourly points are too few: need a week plus the 24 h holdout',
    });
    expect(await registry.listVersions()).toEqual([]);
  });

  it('fails with FitFailed naming the numbers, instead of training, when the window holds a long gap', async () => {
    // Prepare: 12 days with two days nobody reported (hours 100–147).
    await storeSeries(12, daily, (h) => h >= 100 && h < 148);
    const versionsBefore = (await registry.listVersions()).length;
    // Act
    const outcome = train.handler(event('run-gap'));
    // Assess
    await expect(outcome).rejects.toMatchObject({
      name: 'FitFailed',
      message: expect.stringMatching(
        /^too many filled hours to train on: 48 of the window's 288 hours are filled by interpolation \(16\.7%, more than maxFilledShare 0\.1\); the longest gap is 48 hours from 2024-01-05T04:00:00\.000Z \(more than maxGapHours 24\)/,
      ),
    });
    expect(await registry.listVersions()).toHaveLength(versionsBefore);
    const record = await getJson<{ failed: string; gaps: Record<string, unknown> }>(
      emulators.s3,
      emulators.artifactsBucket,
      waterKeys.run('run-gap').training,
    );
    expect(record?.failed).toMatch(/^too many filled hours/);
    expect(record?.gaps).toMatchObject({ windowHours: 288, filledHours: 48, longestGapHours: 48 });
  });

  it('reports the filled hours of a normal window in the result, the scores and the registry', async () => {
    // Prepare: one 3-hour gap, within the limits.
    await storeSeries(12, daily, (h) => h >= 200 && h < 203);
    // Act
    const result = (await train.handler(event('run-small-gap'))) as TrainOutput;
    // Assess
    expect(result.gaps).toEqual({
      windowHours: 288,
      filledHours: 3,
      filledShare: 3 / 288,
      longestGapHours: 3,
      longestGapFrom: '2024-01-09T08:00:00.000Z',
      holdoutFilledHours: 0,
    });
    // As the promote step reads it: the numbers travel with the scores to the decision record.
    expect(parseChallengeResult(result).challenger.metrics).toMatchObject({
      filledHours: 3,
      longestGapHours: 3,
    });
    const version = await registry.getVersion(result.challenger.version);
    expect(version?.metadata.metrics).toMatchObject({ filledHours: 3, longestGapHours: 3 });
  }, 60_000);

  it('registers a scored challenger with its parameters, metrics and holdout predictions, for the promote step', async () => {
    // Prepare
    await storeSeries(12, daily);
    // Act
    const result = (await train.handler(event('run-ok'))) as TrainOutput;
    // Assess: the result is the lifecycle's contract, read the way the promote step reads it.
    const challenge = parseChallengeResult(result);
    expect(challenge).toMatchObject({
      pipeline: 'water',
      model: 'forecast',
      runId: 'run-ok',
      challenger: {
        label: '(1,0,1)(0,1,1)24',
        metrics: {
          holdoutMae: expect.any(Number),
          holdoutRmse: expect.any(Number),
          holdoutMape: expect.any(Number),
          aic: expect.any(Number),
        },
      },
      rule: { metric: 'holdoutMae', better: 'lower', margin: { kind: 'relative', value: 0.01 } },
    });
    expect(challenge.champion).toBeUndefined();
    const version = await registry.getVersion(result.challenger.version);
    expect(version?.metadata.parameters).toMatchObject({
      kind: 'sarimax',
      order: '(1,0,1)(0,1,1)24',
      holdoutHours: 24,
      windowPoints: 288,
      // The served model is the challenger's order refitted on the whole window.
      trainingWindow: { points: 288 },
    });
    expect(version?.metadata.metrics.holdoutMae).toBeCloseTo(
      result.challenger.metrics.holdoutMae as number,
      12,
    );
    const evaluation = await getJson<{ holdout: { actual: number[]; challenger: number[]; champion: null } }>(
      emulators.s3,
      emulators.artifactsBucket,
      result.evaluationKey,
    );
    expect(result.evaluationKey).toBe('runs/water/run-ok/evaluation.json');
    expect(evaluation?.holdout.actual).toHaveLength(24);
    expect(evaluation?.holdout.challenger).toHaveLength(24);
    expect(evaluation?.holdout.champion).toBeNull();
  }, 60_000);

  it("scores the champion's order refitted on the same window next to the challenger", async () => {
    // Prepare: a champion of another order, then a challenger run on the same series.
    await storeSeries(12, daily);
    const first = (await train.handler(
      event('run-champion', { order: { p: 1, d: 0, q: 0, P: 0, D: 1, Q: 1, s: 24 } }),
    )) as TrainOutput;
    await registry.promote(first.challenger.version, { reason: 'test: the first champion' });
    // Act
    const result = (await train.handler(event('run-challenger'))) as TrainOutput;
    // Assess
    expect(result.champion).toMatchObject({
      version: first.challenger.version,
      label: '(1,0,0)(0,1,1)24',
      metrics: { holdoutMae: expect.any(Number), aic: expect.any(Number) },
    });
    // The same order on the same window gives the same score as when it was the challenger.
    expect(result.champion?.metrics.holdoutMae).toBeCloseTo(first.challenger.metrics.holdoutMae as number, 6);
    const evaluation = await getJson<{ holdout: { champion: number[]; challenger: number[] } }>(
      emulators.s3,
      emulators.artifactsBucket,
      result.evaluationKey,
    );
    expect(evaluation?.holdout.champion).toHaveLength(24);
    expect(evaluation?.holdout.challenger).toHaveLength(24);
  }, 60_000);

  it('refuses an input naming another system', async () => {
    // Act
    const outcome = train.handler(event('run-other', { pipeline: 'sensors' }));
    // Assess
    await expect(outcome).rejects.toMatchObject({ name: 'InputError' });
  });
});
