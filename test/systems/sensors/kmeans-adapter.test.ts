import { describe, expect, it } from 'vitest';
import { promoteIfBetter, runChallenge } from '../../../core/lifecycle/index.js';
import { adjustedRandIndex, trainKMeansModel } from '../../../core/ml/kmeans/index.js';
import { InMemoryObjectStore } from '../../../core/registry/memory-object-store.js';
import { ModelRegistry } from '../../../core/registry/model-registry.js';
import { clusterMatrix } from '../../../systems/sensors/model/cluster-features.js';
import { kmeansAdapter } from '../../../systems/sensors/model/kmeans-adapter.js';
import { clusteringPromotionRule } from '../../../systems/sensors/model/training-settings.js';
import {
  defaultSensorGeneratorOptions,
  generateSensorReadings,
  sensorDayKey,
} from '../../../systems/sensors/records/generator.js';
import { featureRowsOf } from './sensor-features.js';

/**
 * The k-means adapter in the shared lifecycle, with an in-memory registry: what the train and
 * promote steps do, without S3.
 */
function window(seed: number) {
  const generation = generateSensorReadings({ ...defaultSensorGeneratorOptions, seed, days: 5, sensors: 12 });
  const rows = featureRowsOf(generation);
  return {
    points: clusterMatrix(rows),
    truth: rows.map(
      (row) => generation.truth.get(sensorDayKey(row.key, `${row.day}T12:00:00Z`)) ?? 'unknown',
    ),
  };
}

function lifecycle() {
  const registry = new ModelRegistry({
    store: new InMemoryObjectStore(),
    pipeline: 'sensors',
    model: 'clusters',
  });
  const challenge = (points: number[][], runId: string) =>
    runChallenge({
      adapter: kmeansAdapter({ kMin: 3, kMax: 5 }),
      registry,
      data: points,
      rule: clusteringPromotionRule(0.02),
      runId,
      registration: { trainedOn: [], codeVersion: 'test', parameters: { kMin: 3, kMax: 5 } },
    });
  return { registry, challenge };
}

describe('k-means adapter in the shared champion/challenger lifecycle', () => {
  it('registers a first model with k chosen in [kMin, kMax], which the rule promotes for want of a champion', async () => {
    // Prepare
    const { registry, challenge } = lifecycle();
    const day1 = window(3);
    // Act
    const outcome = await challenge(day1.points, 'run-1');
    if (!outcome.ok) throw new Error(outcome.reason);
    const decision = await promoteIfBetter(registry, outcome.result);
    // Assess: the challenger is scored, labelled by its k, and becomes the champion
    const { challenger } = outcome.result;
    expect(challenger.label).toMatch(/^k=[345]$/);
    expect(challenger.metrics.silhouette).toBeGreaterThan(0.2);
    expect(challenger.metrics.sensorDays).toBe(day1.points.length);
    expect(outcome.result).toMatchObject({ pipeline: 'sensors', model: 'clusters', runId: 'run-1' });
    expect(outcome.result.champion).toBeUndefined();
    expect(outcome.challenger.search?.warmStarted).toBe(false);
    expect(decision).toMatchObject({ promoted: true, championVersion: challenger.version });
    expect(decision.reason).toMatch(/^no champion yet/);
    // The registered artifact is a k-means model that still recovers the behaviours.
    const stored = await registry.loadChampion();
    expect(stored?.model.metadata.parameters).toMatchObject({ kind: 'kmeans', kMin: 3, kMax: 5 });
    const served = kmeansAdapter({ kMin: 3, kMax: 5 }).deserialize(stored?.model.artifact);
    expect(adjustedRandIndex(served.kmeans.predictLabels(day1.points), day1.truth)).toBeGreaterThan(0.75);
  });

  it('warm-starts the next challenger from the champion and scores both on the same sensor-days', async () => {
    // Prepare
    const { registry, challenge } = lifecycle();
    const first = await challenge(window(3).points, 'run-1');
    if (!first.ok) throw new Error(first.reason);
    await promoteIfBetter(registry, first.result);
    const day2 = window(4);
    // Act
    const second = await challenge(day2.points, 'run-2');
    if (!second.ok) throw new Error(second.reason);
    const decision = await promoteIfBetter(registry, second.result);
    // Assess
    const { challenger, champion } = second.result;
    expect(second.challenger.search?.warmStarted).toBe(true);
    expect(champion).toMatchObject({ version: first.result.challenger.version });
    expect(champion && 'metrics' in champion ? champion.metrics.sensorDays : undefined).toBe(
      day2.points.length,
    );
    expect(challenger.metrics.sensorDays).toBe(day2.points.length);
    expect(decision.reason).toContain('on the same data');
    expect(decision.championVersion).toBe(
      decision.promoted ? challenger.version : first.result.challenger.version,
    );
  });

  it('fails without registering anything when k-means cannot fit (a champion on other feature columns)', async () => {
    // Prepare: a champion trained on two columns, as if the feature set changed since
    const { registry, challenge } = lifecycle();
    const other = trainKMeansModel(
      [
        [0, 0],
        [0, 1],
        [5, 5],
        [5, 6],
      ],
      { featureNames: ['x', 'y'], k: 2, seed: 1 },
    ).model;
    const old = await registry.register({
      artifact: other.toJSON(),
      parameters: {},
      metrics: {},
      trainedOn: [],
      codeVersion: 'old',
    });
    await registry.promote(old.version, { reason: 'test setup' });
    // Act
    const outcome = await challenge(window(3).points, 'run-3');
    // Assess
    expect(outcome.ok).toBe(false);
    expect(outcome.ok ? '' : outcome.reason).toMatch(/^champion features \(x, y\) differ/);
    expect(await registry.listVersions()).toEqual([old.version]);
    expect((await registry.champion())?.version).toBe(old.version);
  });
});
