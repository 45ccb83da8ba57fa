import { describe, expect, it } from 'vitest';
import { binEdges, binFeatures, binOf, MISSING_BIN } from '../../../../core/ml/forest/binning.js';

describe('feature binning', () => {
  it('puts edges halfway between distinct values when they fit in the bins', () => {
    // Prepare: sorted values with a tie.
    const sorted = Float64Array.from([1, 2, 2, 4]);

    // Act
    const edges = binEdges(sorted, 255);

    // Assess: edges 1.5 and 3 → bins {1}, {2}, {4}.
    expect(Array.from(edges)).toEqual([1.5, 3]);
    expect([1, 2, 4, 1.5, 1.6, 3, 3.1].map((v) => binOf(edges, v))).toEqual([0, 1, 2, 0, 1, 1, 2]);
  });

  it('caps the number of bins with quantile edges on many distinct values', () => {
    // Prepare: 1000 distinct values, 4 bins allowed.
    const sorted = Float64Array.from({ length: 1000 }, (_, i) => i);

    // Act
    const edges = binEdges(sorted, 4);

    // Assess: quartile edges (values 249|250, 499|500, 749|750).
    expect(Array.from(edges)).toEqual([249.5, 499.5, 749.5]);
  });

  it('codes NaN as the reserved missing bin and stores columns contiguously', () => {
    // Prepare
    const rows = [
      [1, 10],
      [Number.NaN, 20],
      [3, 10],
    ];

    // Act
    const binned = binFeatures(rows, 2, 255);

    // Assess: column 0 = [0, MISSING, 1], column 1 = [0, 1, 0].
    expect(Array.from(binned.codes)).toEqual([0, MISSING_BIN, 1, 0, 1, 0]);
    expect(Array.from(binned.edges[0] ?? [])).toEqual([2]);
  });
});
