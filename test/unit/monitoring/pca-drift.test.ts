import { describe, expect, it } from 'vitest';
import { gaussian, seededRandom } from '../../../core/data/seeded-random.js';
import { fitPcaDrift, reconstructionError } from '../../../core/monitoring/pca-drift.js';
import { band } from '../../../core/monitoring/reference-band.js';
import { featureDrift, fitFeatureReference } from '../../../core/monitoring/univariate-drift.js';

/**
 * Three features: x and y standard normal with correlation `rho`, z independent. Flipping rho
 * from +0.9 to −0.9 keeps every marginal distribution, so only a multivariate check can see it.
 */
function rows(count: number, rho: number, seed: number): number[][] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => {
    const x = gaussian(random);
    const y = rho * x + Math.sqrt(1 - rho * rho) * gaussian(random);
    return [x * 3 + 10, y, gaussian(random) * 0.5];
  });
}

const names = ['x', 'y', 'z'];

describe('PCA reconstruction drift', () => {
  const reference = rows(5000, 0.9, 1);
  const model = fitPcaDrift(names, reference, { random: seededRandom(2) });

  it('keeps the components for 65% of the variance and bands out-of-fold errors', () => {
    // Eigenvalues of the standardised covariance ≈ 1.9, 1, 0.1: the first explains 63%, so two stay.
    expect(model.components).toHaveLength(2);
    expect(model.explainedVariance).toBeGreaterThan(0.9);
    expect(model.reference.chunks).toHaveLength(10);
    expect(model.reference).toMatchObject({ chunkSize: 1, referenceRows: 5000 });
    expect(JSON.parse(JSON.stringify(model))).toEqual(model);
  });

  it('measures the band on rows each fold model never saw, so fresh reference-like days sit inside it', () => {
    // Prepare: seven independent features, a flat spectrum where an in-sample PCA overfits most.
    const random = seededRandom(9);
    const flat = (count: number) =>
      Array.from({ length: count }, () => Array.from({ length: 7 }, () => gaussian(random)));
    const small = fitPcaDrift(['a', 'b', 'c', 'd', 'e', 'f', 'g'], flat(600), { random: seededRandom(10) });
    // Act
    const fresh = Array.from({ length: 12 }, () => reconstructionError(small, flat(800)));
    // Assess
    const limits = band(small.reference, 800, 3);
    for (const error of fresh) expect(error).toBeLessThan(limits.upper);
  });

  it('flags a flipped correlation that PSI and KS cannot see, and stays inside its band on reference-like data', () => {
    // Prepare
    const same = rows(1000, 0.9, 3);
    const flipped = rows(1000, -0.9, 4);
    const limits = band(model.reference, 1000, 3);
    const columns = names.map((name, f) =>
      fitFeatureReference(
        name,
        reference.map((r) => r[f] as number),
        Array.from({ length: 5000 }, (_, i) => i),
        10,
      ),
    );
    // Act
    const quiet = reconstructionError(model, same);
    const loud = reconstructionError(model, flipped);
    const univariate = columns.map((c, f) =>
      featureDrift(
        c,
        flipped.map((r) => r[f] as number),
      ),
    );
    // Assess
    expect(quiet).toBeGreaterThan(limits.lower);
    expect(quiet).toBeLessThan(limits.upper);
    expect(loud).toBeGreaterThan(limits.upper * 2);
    for (const drift of univariate) {
      expect(drift.psi).toBeLessThan(0.05);
      expect(drift.ksStatistic).toBeLessThan(0.06);
    }
  });

  it('imputes a missing value with the reference mean rather than failing', () => {
    const withGap = [[Number.NaN, 0, 0]];
    expect(Number.isFinite(reconstructionError(model, withGap))).toBe(true);
    expect(() => reconstructionError(model, [[1, 2]])).toThrow(/expects 3/);
  });
});

describe('univariate drift per feature', () => {
  it('gives missing values a bin of their own, so a column that starts going missing drifts', () => {
    // Prepare
    const values = Array.from({ length: 1000 }, (_, i) => i % 100);
    const reference = fitFeatureReference('calls', values, [0, 1, 2, 3, 4], 10);
    const halfMissing = values.map((v, i) => (i % 2 === 0 ? Number.NaN : v));
    // Act
    const drift = featureDrift(reference, halfMissing);
    // Assess
    expect(reference.shares.at(-1)).toBe(0);
    expect(drift.psi).toBeGreaterThan(0.2);
    expect(featureDrift(reference, values).psi).toBeCloseTo(0, 12);
  });
});
