import { describe, expect, it } from 'vitest';
import { evaluateClustering, KMeansModel, trainKMeansModel } from '../../../../core/ml/kmeans/index.js';

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
