import { describe, expect, it } from 'vitest';
import {
  leastSquaresSlope,
  mean,
  populationStd,
  quantileSorted,
  sortedAscending,
} from '../../../core/features/stats.js';

describe('summary statistics', () => {
  it('interpolates quantiles linearly between ranks like numpy', () => {
    // Prepare: numpy.quantile([1, 2, 3, 4], [0, 0.25, 0.5, 0.9, 1]) = [1, 1.75, 2.5, 3.7, 4]
    const sorted = [1, 2, 3, 4];
    // Act
    const quantiles = [0, 0.25, 0.5, 0.9, 1].map((q) => quantileSorted(sorted, q));
    // Assess
    expect(quantiles[0]).toBe(1);
    expect(quantiles[1]).toBeCloseTo(1.75, 12);
    expect(quantiles[2]).toBe(2.5);
    expect(quantiles[3]).toBeCloseTo(3.7, 12);
    expect(quantiles[4]).toBe(4);
    expect(quantileSorted([], 0.5)).toBeNull();
    expect(() => quantileSorted(sorted, 1.5)).toThrow(/outside/);
  });

  it('sorts numerically, not as strings', () => {
    // Act / Assess
    expect(Array.from(sortedAscending([10, 9, -1, 100]))).toEqual([-1, 9, 10, 100]);
  });

  it('keeps digits of a small spread on a large offset', () => {
    // Prepare: 1013.25 hPa ± 0.01; a one-pass Σx² − n·x̄² loses these digits.
    const values = [1013.24, 1013.25, 1013.26];
    // Act / Assess
    expect(populationStd(values)).toBeCloseTo(Math.sqrt(2 / 3) * 0.01, 10);
    expect(mean([])).toBeNull();
    expect(populationStd([])).toBeNull();
  });

  it('has no slope through one instant', () => {
    // Act / Assess
    expect(leastSquaresSlope([5, 5], [1, 2])).toBeNull();
    expect(leastSquaresSlope([0, 1, 2], [1, 3, 5])).toBe(2);
    expect(() => leastSquaresSlope([0], [1, 2])).toThrow(/as many/);
  });
});
