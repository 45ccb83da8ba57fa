import { describe, expect, it } from 'vitest';
import { gaussian, seededRandom } from '../../../../core/data/seeded-random.js';
import {
  chooseK,
  fitScaler,
  KMeansInputError,
  KMeansModel,
  type KMeansModelJson,
  trainKMeansModel,
  transform,
} from '../../../../core/ml/kmeans/index.js';

/** Blobs in feature units of very different scale: metres and millimetres. */
function mixedScaleBlobs(seed: number): number[][] {
  const random = seededRandom(seed);
  const centres = [
    [1, 1000],
    [5, 1000],
    [3, 9000],
  ];
  return centres.flatMap(([metres = 0, millimetres = 0]) =>
    Array.from({ length: 50 }, () => [metres + gaussian(random) * 0.3, millimetres + gaussian(random) * 300]),
  );
}

const NAMES = ['metres', 'millimetres'];

describe('scaler', () => {
  it('standardises with the population std and maps constant features to 0', () => {
    // Prepare
    const points = [
      [1, 5],
      [3, 5],
    ];

    // Act
    const scaler = fitScaler(points);
    const z = transform(scaler, points);

    // Assess
    expect(scaler).toEqual({ mean: [2, 5], std: [1, 1] });
    expect(Array.from(z.data)).toEqual([-1, 0, 1, 0]);
    expect(() => transform(scaler, [[1, 2, 3]])).toThrow(
      'points have 3 features; the scaler was fitted on 2',
    );
  });
});

describe('KMeansModel', () => {
  const { model } = trainKMeansModel(mixedScaleBlobs(1), { featureNames: NAMES, k: 3, seed: 2 });

  it('clusters in standardised space: the small-scale feature still separates blobs', () => {
    // Prepare / Act
    const labels = model.predictLabels(mixedScaleBlobs(1));

    // Assess
    expect(new Set(labels.subarray(0, 50)).size).toBe(1);
    expect(new Set(labels.subarray(50, 100)).size).toBe(1);
    expect(new Set(labels.subarray(100)).size).toBe(1);
    expect(new Set([labels[0], labels[50], labels[100]]).size).toBe(3);
    expect(model.clusterSizes.sort()).toEqual([50, 50, 50]);
    expect(model.silhouette).toBeGreaterThan(0.6);
  });

  it('predicts the closest cluster and its standardised distance', () => {
    // Prepare
    const centres = model.centroidsInFeatureUnits();

    // Act
    const [atCentre, off] = model.predict([
      centres[1] as number[],
      [(centres[1]?.[0] ?? 0) + (model.scaler.std[0] ?? 0), centres[1]?.[1] ?? 0],
    ]);

    // Assess
    expect(atCentre?.cluster).toBe(1);
    expect(atCentre?.distance).toBeCloseTo(0, 9);
    expect(off?.cluster).toBe(1);
    expect(off?.distance).toBeCloseTo(1, 9);
  });

  it('round-trips exactly through JSON text', () => {
    // Prepare
    const text = JSON.stringify(model);

    // Act
    const loaded = KMeansModel.fromJSON(text);

    // Assess
    expect(loaded.toJSON()).toEqual(model.toJSON());
    expect(Array.from(loaded.centroids)).toEqual(Array.from(model.centroids));
    expect(loaded.predictLabels(mixedScaleBlobs(4))).toEqual(model.predictLabels(mixedScaleBlobs(4)));
    expect(JSON.parse(text).format).toBe('kmeans-model');
  });

  it.each<[string, (json: KMeansModelJson) => unknown, string]>([
    [
      'wrong format',
      (j) => ({ ...j, format: 'rf-model' }),
      'model format is "rf-model"; expected "kmeans-model"',
    ],
    ['newer version', (j) => ({ ...j, version: 2 }), 'model version 2 is not supported; expected 1'],
    ['k of 0', (j) => ({ ...j, k: 0 }), 'k must be a whole number >= 1, got 0'],
    [
      'missing centroid row',
      (j) => ({ ...j, centroids: j.centroids.slice(1) }),
      'centroids must be 3 rows (k)',
    ],
    [
      'short centroid',
      (j) => ({ ...j, centroids: [[1], ...j.centroids.slice(1)] }),
      'centroids[0] must be an array of 2 numbers',
    ],
    [
      'text in centroids',
      (j) => ({ ...j, centroids: [[1, 'x'], ...j.centroids.slice(1)] }),
      'centroids[0][1] must be a finite number, got "x"',
    ],
    ['zero std', (j) => ({ ...j, scaler: { ...j.scaler, std: [0, 1] } }), 'scaler.std values must be > 0'],
    ['missing scaler', (j) => ({ ...j, scaler: null }), 'scaler must be { mean, std }'],
    ['feature names', (j) => ({ ...j, featureNames: ['a'] }), 'featureNames must be 2 strings'],
    ['bad init', (j) => ({ ...j, init: 'random' }), 'init must be "warm-start" or "k-means++", got "random"'],
    ['negative inertia', (j) => ({ ...j, inertia: -1 }), 'inertia must be >= 0, got -1'],
    ['an array', () => [], 'a k-means model must be a JSON object'],
    ['broken text', () => '{"format":', 'model is not valid JSON'],
  ])('fromJSON rejects %s', (_name, mutate, message) => {
    // Prepare
    const json = mutate(model.toJSON());

    // Act
    const act = () => KMeansModel.fromJSON(json);

    // Assess
    expect(act).toThrow(KMeansInputError);
    expect(act).toThrow(message);
  });
});

describe('chooseK', () => {
  it('picks the generated number of blobs by silhouette and reports every k', () => {
    // Prepare
    const random = seededRandom(8);
    const points = [
      [0, 0],
      [10, 0],
      [0, 10],
      [10, 10],
    ].flatMap((c) => Array.from({ length: 40 }, () => c.map((v) => v + gaussian(random))));

    // Act
    const result = chooseK(points, { kMin: 2, kMax: 7, seed: 1 });

    // Assess
    expect(result.k).toBe(4);
    expect(result.candidates.map((c) => c.k)).toEqual([2, 3, 4, 5, 6, 7]);
    const best = Math.max(...result.candidates.map((c) => c.silhouette));
    expect(result.candidates.find((c) => c.k === 4)?.silhouette).toBe(best);
    for (let i = 1; i < result.candidates.length; i++)
      expect(result.candidates[i]?.inertia).toBeLessThan(result.candidates[i - 1]?.inertia ?? 0);
    expect(result.fit.k).toBe(4);
  });

  it('rejects a range it cannot score', () => {
    // Prepare / Act / Assess
    expect(() => chooseK([[0], [1], [2]], { kMin: 1, kMax: 2 })).toThrow(
      'need whole numbers 2 <= kMin <= kMax',
    );
    expect(() => chooseK([[0], [1], [2]], { kMin: 2, kMax: 3 })).toThrow(
      'kMax = 3 needs at least 4 points, got 3',
    );
  });
});

describe('trainKMeansModel continuous training', () => {
  it('starts from the champion centroids, mapped into the new scaler, and converges at once', () => {
    // Prepare: the champion saw one sample; new data from the same process has another scale fit
    const champion = trainKMeansModel(mixedScaleBlobs(1), { featureNames: NAMES, k: 3, seed: 2 }).model;
    const fresh = mixedScaleBlobs(7);

    // Act
    const report = trainKMeansModel(fresh, { featureNames: NAMES, k: 3, nInit: 2, seed: 3, champion });

    // Assess
    expect(report.warmStarted).toBe(true);
    expect(report.model.init).toBe('warm-start');
    expect(report.model.nIter).toBeLessThanOrEqual(2);
    const before = champion.centroidsInFeatureUnits().flat();
    const after = report.model.centroidsInFeatureUnits().flat();
    // Same clusters in the same order, moved by sampling noise only (< 0.15 std of the feature).
    after.forEach((v, i) => {
      expect(Math.abs(v - (before[i] ?? 0))).toBeLessThan(0.15 * (champion.scaler.std[i % 2] ?? 0));
    });
  });

  it('offers the warm start only for the champion k when k is searched', () => {
    // Prepare
    const champion = trainKMeansModel(mixedScaleBlobs(1), { featureNames: NAMES, k: 3, seed: 2 }).model;

    // Act
    const report = trainKMeansModel(mixedScaleBlobs(9), {
      featureNames: NAMES,
      kMin: 2,
      kMax: 5,
      seed: 3,
      champion,
    });

    // Assess
    expect(report.candidates.map((c) => c.k)).toEqual([2, 3, 4, 5]);
    expect(report.model.k).toBe(3);
    expect(report.candidates.filter((c) => c.init === 'warm-start').map((c) => c.k)).toEqual([3]);
  });

  it('rejects a champion with other features and ambiguous k options', () => {
    // Prepare
    const champion = trainKMeansModel(mixedScaleBlobs(1), { featureNames: NAMES, k: 3 }).model;

    // Act / Assess
    expect(() => trainKMeansModel(mixedScaleBlobs(2), { featureNames: ['a', 'b'], k: 3, champion })).toThrow(
      'champion features (metres, millimetres) differ from (a, b)',
    );
    expect(() =>
      trainKMeansModel(mixedScaleBlobs(2), { featureNames: NAMES, k: 3, kMin: 2, kMax: 4 }),
    ).toThrow('give either k or kMin/kMax, not both');
    expect(() => trainKMeansModel(mixedScaleBlobs(2), { featureNames: NAMES })).toThrow(
      'give k, or both kMin and kMax',
    );
    expect(() => trainKMeansModel(mixedScaleBlobs(2), { featureNames: ['one'], k: 2 })).toThrow(
      'featureNames has 1 names for 2 feature columns',
    );
  });
});
