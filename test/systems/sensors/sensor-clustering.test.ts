import { describe, expect, it } from 'vitest';
import { decidePromotion } from '../../../core/lifecycle/index.js';
import { adjustedRandIndex, trainKMeansModel } from '../../../core/ml/kmeans/index.js';
import { kmeansAdapter } from '../../../systems/sensors/model/kmeans-adapter.js';
import { clusteringPromotionRule } from '../../../systems/sensors/model/training-settings.js';
import {
  defaultSensorGeneratorOptions,
  generateSensorReadings,
} from '../../../systems/sensors/records/generator.js';
import { FEATURE_NAMES, sensorDayFeatures } from './sensor-features.js';

/**
 * The bar: k-means with k = 4 on standardised per-sensor-day mean/std features recovers the four
 * generated behaviours with an adjusted Rand index of at least 0.85 (0.92–0.99 observed over seeds
 * 1, 2, 3, 7, 42 with 21 days × 12 sensors). Early days of a degradation run overlap with normal
 * days by design, so 1.0 is not expected.
 */
const ARI_BAR = 0.85;

function sensorDays(seed: number) {
  return sensorDayFeatures(
    generateSensorReadings({ ...defaultSensorGeneratorOptions, seed, days: 21, sensors: 12 }),
  );
}

describe('k-means recovers the generated sensor behaviours', () => {
  const week1 = sensorDays(42);

  it(`reaches an adjusted Rand index >= ${ARI_BAR} with k = number of behaviours`, () => {
    // Prepare
    const behaviours = new Set(week1.truth).size;

    // Act
    const { model } = trainKMeansModel(week1.features, {
      featureNames: FEATURE_NAMES,
      k: behaviours,
      seed: 1,
    });
    const ari = adjustedRandIndex(model.predictLabels(week1.features), week1.truth);

    // Assess
    expect(behaviours).toBe(4);
    expect(week1.features).toHaveLength(21 * 12);
    expect(ari).toBeGreaterThanOrEqual(ARI_BAR);
  });

  it('keeps recovering them on new data when trained continuously from the champion', () => {
    // Prepare
    const champion = trainKMeansModel(week1.features, { featureNames: FEATURE_NAMES, k: 4, seed: 1 }).model;
    const next = sensorDays(43);

    // Act: the warm start alone (nInit 0), and beside fresh initialisations (best inertia wins)
    const warmOnly = trainKMeansModel(next.features, {
      featureNames: FEATURE_NAMES,
      k: 4,
      nInit: 0,
      champion,
    });
    const mixed = trainKMeansModel(next.features, { featureNames: FEATURE_NAMES, k: 4, seed: 2, champion });

    // Assess
    expect(warmOnly.warmStarted).toBe(true);
    expect(warmOnly.model.init).toBe('warm-start');
    expect(adjustedRandIndex(warmOnly.model.predictLabels(next.features), next.truth)).toBeGreaterThanOrEqual(
      ARI_BAR,
    );
    expect(mixed.model.inertia).toBeLessThanOrEqual(warmOnly.model.inertia);
    expect(adjustedRandIndex(mixed.model.predictLabels(next.features), next.truth)).toBeGreaterThanOrEqual(
      ARI_BAR,
    );
  });

  it('promotes a comparable challenger and keeps the champion against a much worse one', () => {
    // Prepare: champion from week 1; challengers trained on week 2; all scored on week 2
    const champion = trainKMeansModel(week1.features, { featureNames: FEATURE_NAMES, k: 4, seed: 1 }).model;
    const next = sensorDays(44);
    const good = trainKMeansModel(next.features, {
      featureNames: FEATURE_NAMES,
      k: 4,
      seed: 2,
      champion,
    }).model;
    // A challenger trained on idle days only cannot separate the behaviours of week 2.
    const idleOnly = next.features.filter((_, i) => next.truth[i] === 'idle');
    const poor = trainKMeansModel(idleOnly, { featureNames: FEATURE_NAMES, k: 4, seed: 2 }).model;

    // Act: the sensors adapter scores every model on the same sensor-days; the default rule decides
    const adapter = kmeansAdapter({ kMin: 4, kMax: 4 });
    const rule = clusteringPromotionRule(0.02);
    const championScore = adapter.score({ kmeans: champion }, next.features);
    const keep = decidePromotion({
      challenger: adapter.score({ kmeans: poor }, next.features),
      champion: championScore,
      rule,
    });
    const promote = decidePromotion({
      challenger: adapter.score({ kmeans: good }, next.features),
      champion: championScore,
      rule,
    });

    // Assess
    expect(promote.promote).toBe(true);
    expect(keep.promote).toBe(false);
    expect(keep.reason).toContain('champion kept');
  });
});
