import { describe, expect, it } from 'vitest';
import { kolmogorovSurvival, ksTest } from '../../../core/monitoring/ks.js';

/**
 * Reference values from scipy 1.18 in .bench/venv: `ks_2samp(a, b)` for the statistic and the
 * p-value scipy reports, `kstwobign.sf(sqrt(n·m/(n+m))·D)` for the asymptotic p-value we compute.
 */
const a = [
  0.61, 0.29, 0.06, 0.59, -1.73, -0.74, 0.51, -0.56, 0.39, 1.64, 0.05, -0.06, 0.64, -0.82, 0.37, 1.77, 1.09,
  -1.28, 2.36, 1.31, 1.05, -0.32, -0.4, 1.06, -2.47,
];
const b = [
  2.2, 1.98, 1.8, 1.84, 1.3, 0.12, 1.2, 0.58, 1.69, 1.33, 3.0, 1.65, 1.05, 2.22, 1.95, 1.24, 0.5, 1.73, 2.84,
  1.26,
];

describe('two-sample Kolmogorov–Smirnov test', () => {
  it.each([
    { name: 'two shifted samples', x: a, y: b, statistic: 0.64, asymptotic: 0.00022283587552558994 },
    {
      name: 'overlapping ranges',
      x: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
      y: [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14],
      statistic: 1 / 3,
      asymptotic: 0.5794868996876497,
    },
    {
      name: 'ties across the samples',
      x: [1, 1, 2, 2, 3, 3, 4],
      y: [2, 2, 3, 3, 3, 5, 6, 7],
      statistic: 0.375,
      asymptotic: 0.6700416225892298,
    },
  ])('matches scipy on $name', ({ x, y, statistic, asymptotic }) => {
    // Act
    const result = ksTest(x, y);
    // Assess
    expect(result.statistic).toBeCloseTo(statistic, 12);
    expect(result.pValue).toBeCloseTo(asymptotic, 9);
  });

  it("agrees with ks_2samp's own p-value within 5% on samples of monitoring size (3000 vs 2000)", () => {
    // Prepare: deterministic grids python builds the same way; scipy: D 0.067, p 4.0353e-05.
    const x = Array.from({ length: 3000 }, (_, i) => ((i * 7919) % 3001) / 3001);
    const y = Array.from({ length: 2000 }, (_, j) => (((j * 104729) % 2003) / 2003) * 1.05 + 0.02);
    // Act
    const result = ksTest(x, y);
    // Assess
    expect(result.statistic).toBeCloseTo(0.067, 12);
    expect(Math.abs(result.pValue / 4.0352562702340665e-5 - 1)).toBeLessThan(0.05);
  });

  it('gives the Kolmogorov survival function on both sides of its series switch', () => {
    // scipy kstwobign.sf at 0.3, 0.5, 0.8, 1.0, 1.36, 2.0
    const expected = [0.999990694, 0.963945244, 0.544142412, 0.269999672, 0.0494858768, 0.000670925256];
    [0.3, 0.5, 0.8, 1.0, 1.36, 2.0].forEach((lambda, i) => {
      expect(kolmogorovSurvival(lambda)).toBeCloseTo(expected[i] as number, 8);
    });
  });

  it('leaves missing values out and says so when a sample is empty', () => {
    expect(ksTest([1, Number.NaN, 2, 3], [1, 2, 3]).statistic).toBe(0);
    expect(() => ksTest([Number.NaN], [1])).toThrow(/non-empty/);
  });
});
