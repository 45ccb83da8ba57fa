import { describe, expect, it } from 'vitest';
import { CHURN_FEATURE_NAMES, generateChurnData } from '../../../../core/data/churn-generator.js';

describe('generateChurnData', () => {
  it('is deterministic per seed and hits the requested churn rate', () => {
    // Prepare
    const options = { rows: 5000, seed: 99, positiveRate: 0.2 };

    // Act
    const first = generateChurnData(options);
    const again = generateChurnData(options);
    const other = generateChurnData({ ...options, seed: 100 });
    const rate = first.labels.reduce((a, b) => a + b, 0) / first.labels.length;

    // Assess: calibrated intercept → the mean probability is 0.2, the Bernoulli draw within ±0.02.
    expect(again).toEqual(first);
    expect(other.features).not.toEqual(first.features);
    expect(Math.abs(rate - 0.2)).toBeLessThan(0.02);
    expect(first.featureNames).toEqual([...CHURN_FEATURE_NAMES]);
    expect(first.features.every((row) => row.length === 15 && row.every(Number.isFinite))).toBe(true);
  });

  it('blanks only the nullable columns when asked for missing values', () => {
    // Prepare
    const nullable = ['totalCharges', 'dataUsageGb', 'intlMinutes'].map((n) => first(n));
    function first(name: string): number {
      return (CHURN_FEATURE_NAMES as readonly string[]).indexOf(name);
    }

    // Act
    const data = generateChurnData({ rows: 2000, seed: 1, missingRate: 0.1 });
    const missingColumns = new Set(
      data.features.flatMap((row) => row.flatMap((v, j) => (Number.isNaN(v) ? [j] : []))),
    );

    // Assess
    expect([...missingColumns].sort()).toEqual([...nullable].sort());
  });
});
