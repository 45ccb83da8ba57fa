import { describe, expect, it } from 'vitest';
import { gaussian, seededRandom } from '../../../core/data/seeded-random.js';
import {
  applyCalibration,
  brierScore,
  CalibrationError,
  fitIsotonic,
  parseCalibration,
} from '../../../core/monitoring/calibration.js';

/** Platt scaling (logistic regression of the label on the score) by Newton's method, for comparison. */
function plattScaling(scores: number[], labels: number[]): (s: number) => number {
  let a = 0;
  let b = 0;
  for (let iteration = 0; iteration < 50; iteration++) {
    let ga = 0;
    let gb = 0;
    let haa = 0;
    let hab = 0;
    let hbb = 0;
    scores.forEach((s, i) => {
      const p = 1 / (1 + Math.exp(-(a * s + b)));
      const r = p - (labels[i] as number);
      const w = p * (1 - p);
      ga += r * s;
      gb += r;
      haa += w * s * s;
      hab += w * s;
      hbb += w;
    });
    const det = haa * hbb - hab * hab;
    a -= (hbb * ga - hab * gb) / det;
    b -= (haa * gb - hab * ga) / det;
  }
  return (s) => 1 / (1 + Math.exp(-(a * s + b)));
}

/**
 * A miscalibrated score that is not a sigmoid of the truth: the true probability is a step-like
 * function of the score (flat, then a jump, then flat), as a forest's leaf averages often are.
 */
function miscalibrated(rows: number, seed: number) {
  const random = seededRandom(seed);
  const scores: number[] = [];
  const labels: number[] = [];
  const truth: number[] = [];
  for (let i = 0; i < rows; i++) {
    const s = random();
    const p = s < 0.6 ? 0.05 : s < 0.7 ? 0.5 : 0.9;
    scores.push(Math.min(1, Math.max(0, s + 0.02 * gaussian(random))));
    truth.push(p);
    labels.push(random() < p ? 1 : 0);
  }
  return { scores, labels, truth };
}

describe('isotonic calibration', () => {
  it('pools adjacent violators into the same knots and predictions as scikit-learn', () => {
    // Prepare: sklearn IsotonicRegression(out_of_bounds='clip').fit([1..7], [0,1,0,0,1,1,1])
    // has X_thresholds_ [1, 2, 4, 5, 7], y_thresholds_ [0, 1/3, 1/3, 1, 1] and predicts
    // [0, 1/6, 1/3, 2/3, 1, 1] at [0, 1.5, 2.5, 4.5, 6.5, 9].
    // Act
    const calibration = fitIsotonic([1, 2, 3, 4, 5, 6, 7], [0, 1, 0, 0, 1, 1, 1]);
    const predicted = applyCalibration(calibration, [0, 1.5, 2.5, 4.5, 6.5, 9]);
    // Assess
    expect(calibration.x).toEqual([1, 2, 4, 5, 7]);
    calibration.y.forEach((y, i) => {
      expect(y).toBeCloseTo([0, 1 / 3, 1 / 3, 1, 1][i] as number, 12);
    });
    predicted.forEach((p, i) => {
      expect(p).toBeCloseTo([0, 1 / 6, 1 / 3, 2 / 3, 1, 1][i] as number, 12);
    });
  });

  it('is monotone and lowers the Brier score of a miscalibrated score below the raw score and Platt scaling', () => {
    // Prepare
    const fit = miscalibrated(4000, 11);
    const test = miscalibrated(4000, 12);
    // Act
    const calibration = fitIsotonic(fit.scores, fit.labels);
    const calibrated = applyCalibration(calibration, test.scores);
    const platt = plattScaling(fit.scores, fit.labels);
    // Assess
    for (let i = 1; i < calibration.y.length; i++)
      expect(calibration.y[i]).toBeGreaterThanOrEqual(calibration.y[i - 1] as number);
    const raw = brierScore(test.labels, test.scores);
    const isotonic = brierScore(test.labels, calibrated);
    const sigmoid = brierScore(test.labels, test.scores.map(platt));
    expect(isotonic).toBeLessThan(raw - 0.02);
    expect(isotonic).toBeLessThan(sigmoid);
    // The noise floor: the Brier score of the true probabilities themselves.
    expect(isotonic - brierScore(test.labels, test.truth)).toBeLessThan(0.01);
  });

  it('survives a JSON round trip and rejects a stored map that is not monotone', () => {
    // Prepare
    const calibration = fitIsotonic([0.1, 0.4, 0.35, 0.8], [0, 1, 0, 1]);
    // Act
    const loaded = parseCalibration(JSON.parse(JSON.stringify(calibration)));
    // Assess
    expect(applyCalibration(loaded, [0.2, 0.5])).toEqual(applyCalibration(calibration, [0.2, 0.5]));
    expect(() => parseCalibration({ kind: 'isotonic', x: [0, 1], y: [0.6, 0.2] })).toThrow(/non-decreasing/);
    expect(() => parseCalibration({ kind: 'platt' })).toThrow(CalibrationError);
    expect(() => fitIsotonic([0.1, 0.2], [0, 2])).toThrow(/label 1 is 2/);
  });
});
