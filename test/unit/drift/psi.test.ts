import { describe, expect, it } from 'vitest';
import { binShares, psi, psiFromShares, quantileBinEdges } from '../../../core/drift/psi.js';

const oneToTen = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

describe('population stability index', () => {
  it('matches a hand computation with two quantile bins', () => {
    // Prepare: reference 1..10, 2 bins → edge at its median 5.5; reference shares 0.5 / 0.5.
    // Current: 3 of 10 values ≤ 5.5 → shares 0.3 / 0.7.
    // PSI = (0.3 − 0.5)·ln(0.3/0.5) + (0.7 − 0.5)·ln(0.7/0.5) = 0.102165 + 0.067294 = 0.169460
    const current = [1, 2, 3, 6, 7, 8, 9, 10, 11, 12];
    // Act
    const value = psi(oneToTen, current, { bins: 2 });
    // Assess
    expect(quantileBinEdges(oneToTen, 2)).toEqual([5.5]);
    expect(binShares(current, [5.5])).toEqual([0.3, 0.7]);
    expect(value).toBeCloseTo(0.16946, 5);
  });

  it('puts epsilon in place of an empty bin so the index stays finite', () => {
    // Prepare: every current value above the edge: shares 0 / 1, the 0 becomes 1e-4.
    // PSI = (1e-4 − 0.5)·ln(1e-4/0.5) + (1 − 0.5)·ln(1/0.5) = 4.257745 + 0.346574 = 4.604318
    // Act
    const value = psiFromShares([0.5, 0.5], [0, 1], 1e-4);
    // Assess
    expect(value).toBeCloseTo(4.604318, 5);
  });

  it('is 0 for the same values and cuts ten bins of a tenth each', () => {
    // Prepare
    const values = Array.from({ length: 1000 }, (_, i) => i);
    // Act
    const edges = quantileBinEdges(values, 10);
    // Assess
    expect(edges).toHaveLength(9);
    expect(binShares(values, edges)).toEqual(new Array(10).fill(0.1));
    expect(psi(values, values)).toBe(0);
  });

  it('merges bins at tied reference values instead of making empty ones', () => {
    // Prepare: 80 % of the reference is 0, so the 10–80 % quantiles are all 0.
    const reference = [...new Array(80).fill(0), ...Array.from({ length: 20 }, (_, i) => i + 1)];
    // Act
    const edges = quantileBinEdges(reference, 10);
    // Assess
    expect(edges[0]).toBe(0);
    expect(new Set(edges).size).toBe(edges.length);
    expect(edges.length).toBeLessThan(9);
    expect(binShares(reference, edges)[0]).toBe(0.8);
  });

  it('refuses an empty window and fewer than two bins', () => {
    // Act / Assess
    expect(() => psi([], [1])).toThrow(/non-empty reference/);
    expect(() => psi([1], [])).toThrow(/empty window/);
    expect(() => quantileBinEdges([1], 1)).toThrow(/bins/);
  });
});
