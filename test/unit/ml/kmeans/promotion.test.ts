import { describe, expect, it } from 'vitest';
import {
  type ClusteringScore,
  decideClusteringPromotion,
  evaluateClustering,
  KMeansModel,
  trainKMeansModel,
} from '../../../../core/ml/kmeans/index.js';

const rule = { maxSilhouetteDrop: 0.02 };
const score = (silhouette: number | null, k = 3): ClusteringScore => ({ k, silhouette, clusterSizes: [] });

describe('decideClusteringPromotion', () => {
  it('promotes when there is no champion yet', () => {
    // Prepare / Act
    const decision = decideClusteringPromotion({ challenger: score(0.5), rule });

    // Assess
    expect(decision).toEqual({
      promote: true,
      reason: 'no champion yet; challenger k=3 silhouette 0.5000 promoted',
    });
  });

  it('promotes a challenger that is worse by no more than the margin', () => {
    // Prepare / Act
    const slightlyWorse = decideClusteringPromotion({
      challenger: score(0.69),
      champion: score(0.7, 4),
      rule,
    });
    const atMargin = decideClusteringPromotion({ challenger: score(0.5), champion: score(0.52), rule });
    const better = decideClusteringPromotion({ challenger: score(0.8), champion: score(0.7), rule });

    // Assess
    expect(slightlyWorse.promote).toBe(true);
    expect(slightlyWorse.reason).toBe(
      'challenger k=3 silhouette 0.6900 vs champion k=4 0.7000 on the same points: worse by only 0.0100 (allowed drop 0.0200); challenger promoted',
    );
    expect(atMargin.promote).toBe(true);
    expect(better.promote).toBe(true);
    expect(better.reason).toContain('not worse (+0.1000)');
  });

  it('keeps the champion when the challenger is worse by more than the margin', () => {
    // Prepare / Act
    const decision = decideClusteringPromotion({ challenger: score(0.6), champion: score(0.7), rule });

    // Assess
    expect(decision.promote).toBe(false);
    expect(decision.reason).toBe(
      'challenger k=3 silhouette 0.6000 vs champion k=3 0.7000 on the same points: worse by 0.1000 > allowed 0.0200; champion kept',
    );
  });

  it('handles failures and degenerate clusterings on either side', () => {
    // Prepare / Act / Assess
    expect(decideClusteringPromotion({ challenger: { failed: 'boom' }, champion: score(0.7), rule })).toEqual(
      {
        promote: false,
        reason: 'challenger training failed (boom); champion kept',
      },
    );
    expect(decideClusteringPromotion({ challenger: score(null), champion: score(0.7), rule }).promote).toBe(
      false,
    );
    expect(decideClusteringPromotion({ challenger: score(0.3), champion: score(null), rule }).promote).toBe(
      true,
    );
    expect(
      decideClusteringPromotion({ challenger: score(0.3), champion: { failed: 'gone' }, rule }).promote,
    ).toBe(true);
    expect(() =>
      decideClusteringPromotion({ challenger: score(0.3), rule: { maxSilhouetteDrop: -1 } }),
    ).toThrow('maxSilhouetteDrop must be >= 0');
  });
});

describe('evaluateClustering', () => {
  const points = [
    [0, 0],
    [0, 1],
    [1, 0],
    [10, 10],
    [10, 11],
    [11, 10],
  ];

  it('scores models with different scalers in one common space', () => {
    // Prepare: the same partition learnt from differently scaled training data
    const a = trainKMeansModel(points, { featureNames: ['x', 'y'], k: 2, seed: 1 }).model;
    const b = trainKMeansModel(
      points.map(([x = 0, y = 0]) => [x * 3 + 1, y]),
      { featureNames: ['x', 'y'], k: 2, seed: 1 },
    ).model;
    const rebased = KMeansModel.fromJSON({
      ...b.toJSON(),
      scaler: a.scaler,
      centroids: a.toJSON().centroids,
    });

    // Act
    const scoreA = evaluateClustering(a, points);
    const scoreRebased = evaluateClustering(rebased, points);

    // Assess
    expect(scoreA.silhouette).toBeGreaterThan(0.8);
    expect(scoreRebased.silhouette).toBe(scoreA.silhouette);
    expect(scoreA.clusterSizes.sort()).toEqual([3, 3]);
  });

  it('gives null when the model puts every point in one cluster', () => {
    // Prepare: trained far away, every evaluation point lands in the same cluster
    const far = trainKMeansModel(
      [
        [100, 100],
        [100, 101],
        [300, 300],
        [300, 301],
      ],
      { featureNames: ['x', 'y'], k: 2, seed: 1 },
    ).model;

    // Act
    const result = evaluateClustering(far, points);

    // Assess
    expect(result.silhouette).toBeNull();
    expect(result.clusterSizes.filter((size) => size > 0)).toHaveLength(1);
  });
});
