import { describe, expect, it } from 'vitest';
import { adjustedRandIndex, KMeansInputError, silhouetteScore } from '../../../../core/ml/kmeans/index.js';

describe('adjustedRandIndex', () => {
  it('is 1 for identical partitions whatever the label names', () => {
    // Prepare / Act / Assess
    expect(adjustedRandIndex([0, 0, 1, 1], [1, 1, 0, 0])).toBe(1);
    expect(adjustedRandIndex(['a', 'a', 'b', 'b', 'c'], [5, 5, 7, 7, 9])).toBe(1);
  });

  it('matches hand-computed values', () => {
    // Prepare: [0,0,1,1] vs [0,0,1,2]: pairs together in both = 1, sums 2 and 1 of 6 pairs,
    // expected 2·1/6 = 1/3, max 1.5 → (1 − 1/3) / (1.5 − 1/3) = 4/7
    // [0,0,0,1,1,1] vs [0,0,1,1,2,2]: index 2, sums 6 and 3 of 15, expected 1.2, max 4.5 → 0.8/3.3 = 8/33

    // Act
    const first = adjustedRandIndex([0, 0, 1, 1], [0, 0, 1, 2]);
    const second = adjustedRandIndex([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2]);

    // Assess
    expect(first).toBeCloseTo(4 / 7, 12);
    expect(second).toBeCloseTo(8 / 33, 12);
  });

  it('is symmetric and goes negative for worse-than-chance agreement', () => {
    // Prepare
    const a = [0, 0, 1, 1];
    const b = [0, 1, 0, 1];

    // Act / Assess: no pair together in both; expected 2·2/6 → (0 − 2/3) / (2 − 2/3) = −0.5
    expect(adjustedRandIndex(a, b)).toBeCloseTo(-0.5, 12);
    expect(adjustedRandIndex(b, a)).toBeCloseTo(-0.5, 12);
  });

  it('treats trivial partitions like scikit-learn', () => {
    // Prepare / Act / Assess
    expect(adjustedRandIndex([1, 1, 1], [2, 2, 2])).toBe(1);
    expect(adjustedRandIndex([0, 1, 2], [5, 6, 7])).toBe(1);
    expect(adjustedRandIndex([0, 0, 0, 0], [0, 0, 1, 1])).toBe(0);
    expect(() => adjustedRandIndex([0, 1], [0])).toThrow('labelings differ in length: 2 vs 1');
  });
});

describe('silhouetteScore', () => {
  it('matches the hand-computed value for two pairs on a line', () => {
    // Prepare: 0,1 | 4,5 → points 0 and 5: a 1, b 4.5 → 7/9; points 1 and 4: a 1, b 3.5 → 5/7
    const points = [[0], [1], [4], [5]];

    // Act
    const score = silhouetteScore(points, [0, 0, 1, 1]);

    // Assess
    expect(score).toBeCloseTo(47 / 63, 12);
  });

  it('scores a singleton 0', () => {
    // Prepare: 0,1 | 10 → point 0: (10 − 1)/10, point 1: (9 − 1)/9, point 10: 0
    const points = [[0], [1], [10]];

    // Act
    const score = silhouetteScore(points, [0, 0, 1]);

    // Assess
    expect(score).toBeCloseTo((0.9 + 8 / 9) / 3, 12);
  });

  it('uses Euclidean distance in several dimensions', () => {
    // Prepare: (0,0),(3,4) | (0,10): a = 5 for both; b = 10 and √(9+36) = √45
    const points = [
      [0, 0],
      [3, 4],
      [0, 10],
    ];

    // Act
    const score = silhouetteScore(points, [7, 7, 3]);

    // Assess
    const expected = ((10 - 5) / 10 + (Math.sqrt(45) - 5) / Math.sqrt(45)) / 3;
    expect(score).toBeCloseTo(expected, 12);
  });

  it('samples big inputs reproducibly and stays close to the exact score', () => {
    // Prepare: 3000 points on three well separated lines
    const points = Array.from({ length: 3000 }, (_, i) => [(i % 3) * 100 + ((i * 7919) % 1000) / 100, 0]);
    const labels = points.map((_, i) => i % 3);

    // Act
    const exact = silhouetteScore(points, labels, { sampleSize: Number.POSITIVE_INFINITY });
    const sampled = silhouetteScore(points, labels, { sampleSize: 500, seed: 3 });
    const again = silhouetteScore(points, labels, { sampleSize: 500, seed: 3 });

    // Assess
    expect(sampled).toBe(again);
    expect(Math.abs(sampled - exact)).toBeLessThan(0.01);
    expect(sampled).not.toBe(exact);
  });

  it('rejects one cluster, one label per point and mismatched lengths', () => {
    // Prepare / Act / Assess
    expect(() => silhouetteScore([[0], [1]], [0, 0])).toThrow(KMeansInputError);
    expect(() => silhouetteScore([[0], [1]], [0, 0])).toThrow(
      'needs 2..1 distinct labels among the 2 scored points, got 1',
    );
    expect(() => silhouetteScore([[0], [1], [2]], [0, 1, 2])).toThrow('got 3');
    expect(() => silhouetteScore([[0], [1]], [0])).toThrow('labels has 1 entries for 2 points');
    expect(() => silhouetteScore([[0], [1], [2]], [0, 0.5, 1])).toThrow('expected an integer');
  });
});
