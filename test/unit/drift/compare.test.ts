import { describe, expect, it } from 'vitest';
import { gaussian, seededRandom } from '../../../core/data/seeded-random.js';
import { compareWindows } from '../../../core/drift/compare.js';
import { driftRecords } from '../../../core/drift/metrics.js';
import { defaultDriftThresholds, resolveThresholds } from '../../../core/drift/thresholds.js';
import { compareFeatureRows, driftFeatureNames } from '../../../core/drift/windows.js';
import { type FeatureRow, featureColumns } from '../../../core/features/columns.js';

/** n draws of N(mean, sd²) from a fixed seed. */
function normal(n: number, seed: number, mean: number, sd: number): number[] {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => mean + sd * gaussian(random));
}

describe('drift between windows', () => {
  it('stays quiet on an unchanged feature drawn with another seed', () => {
    // Prepare
    const reference = { temperature_mean: normal(2000, 1, 20, 2) };
    const current = { temperature_mean: normal(2000, 2, 20, 2) };
    // Act
    const report = compareWindows(reference, current);
    // Assess
    const [feature] = report.features;
    expect(report.drifted).toEqual([]);
    expect(feature?.drifted).toBe(false);
    expect(Math.abs(feature?.meanShiftSd ?? 1)).toBeLessThan(0.1);
    expect(feature?.psi).toBeLessThan(0.1);
    expect(feature?.reason).toMatch(
      /^stable: mean shift [+-]0\.\d+ sd, std ratio (0\.9|1\.0)\d*, PSI 0\.0\d+$/,
    );
  });

  it('flags a mean shifted by 2 sd, naming the measures and limits that tripped', () => {
    // Prepare
    const reference = { temperature_mean: normal(2000, 1, 20, 2), vibration_mean: normal(2000, 3, 1, 0.1) };
    const current = { temperature_mean: normal(2000, 2, 24, 2), vibration_mean: normal(2000, 4, 1, 0.1) };
    // Act
    const report = compareWindows(reference, current);
    // Assess
    const shifted = report.features.find((f) => f.name === 'temperature_mean');
    expect(report.drifted).toEqual(['temperature_mean']);
    expect(shifted?.meanShiftSd).toBeCloseTo(2, 0);
    expect(shifted?.psi).toBeGreaterThan(0.25);
    expect(shifted?.psiLevel).toBe('drift');
    expect(shifted?.reason).toMatch(/^drift: mean shift \+2\.\d+ sd beyond ±0\.5; PSI \d+\.?\d* > 0\.25$/);
  });

  it('flags a doubled spread at an unchanged mean through the std ratio', () => {
    // Prepare
    const reference = { vibration_std: normal(2000, 5, 1, 0.1) };
    const current = { vibration_std: normal(2000, 6, 1, 0.2) };
    // Act
    const [feature] = compareWindows(reference, current).features;
    // Assess
    expect(feature?.drifted).toBe(true);
    expect(feature?.stdRatio).toBeCloseTo(2, 0);
    expect(feature?.reason).toMatch(/std ratio [12]\.\d+ outside \[0\.667, 1\.5\]/);
  });

  it('follows configured thresholds', () => {
    // Prepare
    const reference = { t: normal(2000, 1, 20, 2) };
    const current = { t: normal(2000, 2, 21.5, 2) }; // +0.75 sd
    // Act
    const strict = compareWindows(reference, current);
    const lenient = compareWindows(reference, current, { maxMeanShiftSd: 1, psiModerate: 0.5, psiDrift: 1 });
    // Assess
    expect(strict.drifted).toEqual(['t']);
    expect(lenient.drifted).toEqual([]);
    expect(lenient.thresholds.maxMeanShiftSd).toBe(1);
  });

  it('does not judge a window with too few values, and ignores PSI on small windows', () => {
    // Prepare: 50 current values: enough for mean and sd, too few for PSI.
    const reference = { a: normal(2000, 1, 0, 1), b: normal(2000, 1, 0, 1) };
    const current = { a: normal(10, 2, 0, 1), b: normal(50, 3, 0, 1) };
    // Act
    const report = compareWindows(reference, current);
    // Assess
    expect(report.notJudged).toEqual(['a']);
    expect(report.features[0]).toMatchObject({ judged: false, drifted: false, psi: null });
    expect(report.features[0]?.reason).toMatch(
      /^not judged: 2000 reference and 10 current values, fewer than 30$/,
    );
    expect(report.features[1]?.judged).toBe(true);
    expect(report.features[1]?.reason).toMatch(/PSI not used: fewer than 200 values/);
  });

  it('leaves nulls out, and treats any change of a constant reference as drift', () => {
    // Prepare
    const reference = {
      full: new Array(100).fill(0),
      changed: new Array(100).fill(0),
      tenth: new Array(70).fill(0.1),
    };
    const current = {
      full: [...new Array(100).fill(0), null, Number.NaN],
      changed: new Array(100).fill(0.5),
      tenth: new Array(130).fill(0.1), // sums of 0.1 round differently by length: still constant
    };
    // Act
    const report = compareWindows(reference, current);
    // Assess
    expect(report.features[0]).toMatchObject({
      currentCount: 100,
      drifted: false,
      meanShiftSd: 0,
      stdRatio: 1,
    });
    expect(report.features[1]).toMatchObject({ drifted: true, meanShiftSd: null });
    expect(report.features[1]?.reason).toBe('drift: reference constant at 0, current mean 0.5 sd 0');
    expect(report.features[2]).toMatchObject({
      drifted: false,
      reason: 'stable: constant at 0.1 in both windows',
    });
  });

  it('refuses thresholds that make no sense', () => {
    // Act / Assess
    expect(resolveThresholds()).toEqual(defaultDriftThresholds);
    expect(() => resolveThresholds({ maxStdRatio: 0.8 })).toThrow(/above 1/);
    expect(() => resolveThresholds({ psiModerate: 0.3, psiDrift: 0.2 })).toThrow(/psiModerate/);
    expect(() => resolveThresholds({ minCountForPsi: 5 })).toThrow(/minCountForPsi/);
  });
});

describe('drift of feature rows', () => {
  const row = (i: number, temperature: number): FeatureRow => ({
    key: `s${i}`,
    day: '2024-03-09',
    readings: 144,
    expected_readings: 144,
    missing_share: 0,
    temperature_mean: temperature,
  });

  it('watches numeric columns except the fixed expected count', () => {
    // Act
    const names = driftFeatureNames(featureColumns(['temperature']));
    // Assess
    expect(names.slice(0, 4)).toEqual([
      'readings',
      'missing_share',
      'temperature_count',
      'temperature_missing_share',
    ]);
    expect(names).not.toContain('expected_readings');
    expect(names).not.toContain('key');
  });

  it('compares rows column by column and reports drift as EMF metrics', () => {
    // Prepare
    const referenceRows = normal(1000, 1, 20, 2).map((t, i) => row(i, t));
    const currentRows = normal(300, 2, 26, 2).map((t, i) => row(i, t));
    const context = { namespace: 'StreamingMl/Sensors', dimensions: { Pipeline: 'sensors' }, timestampMs: 0 };
    // Act
    const report = compareFeatureRows(referenceRows, currentRows, ['readings', 'temperature_mean']);
    const [summary, ...perFeature] = driftRecords(context, report, { perFeature: true });
    // Assess
    expect(report.drifted).toEqual(['temperature_mean']);
    expect(summary?.dimensions).toMatchObject({ Stage: 'drift' });
    expect(summary?.metrics.map((m) => [m.name, m.value])).toEqual([
      ['DriftedFeatures', 1],
      ['JudgedFeatures', 2],
      ['NotJudgedFeatures', 0],
    ]);
    // The names ride along as a property, not as a metric.
    expect(summary?.properties).toEqual({ driftedFeatureNames: 'temperature_mean' });
    expect(
      perFeature.map((r) => [r.dimensions.Feature, r.metrics.find((m) => m.name === 'Drifted')?.value]),
    ).toEqual([
      ['readings', 0],
      ['temperature_mean', 1],
    ]);
    expect(driftRecords(context, report)).toHaveLength(1);
  });
});
