import { describe, expect, it } from 'vitest';
import { gaussian, seededRandom } from '../../../core/data/seeded-random.js';
import { rocAuc } from '../../../core/ml/metrics/index.js';
import {
  estimateMetrics,
  estimateRocAuc,
  expectedConfusion,
  realisedMetrics,
} from '../../../core/monitoring/cbpe.js';

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const THRESHOLD = 0.3;

/**
 * A chunk whose labels are drawn from its (perfectly calibrated) probabilities: a feature x with
 * the given mean and spread, churn logit x − 1.5. A narrow x near 1.5 puts every row where the
 * model is unsure: the covariate shift CBPE is built to see.
 */
function chunk(rows: number, seed: number, mean = 0, spread = 2) {
  const random = seededRandom(seed);
  const probabilities: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < rows; i++) {
    const p = sigmoid(mean + spread * gaussian(random) - 1.5);
    probabilities.push(p);
    labels.push(random() < p ? 1 : 0);
  }
  const decisions = probabilities.map((p) => (p >= THRESHOLD ? 1 : 0));
  return { probabilities, labels, decisions };
}

type Metric = 'rocAuc' | 'f1' | 'accuracy' | 'precision' | 'recall';
const METRICS: Metric[] = ['rocAuc', 'f1', 'accuracy', 'precision', 'recall'];

/** Mean absolute error of the estimate against the realised value over 40 seeded chunks of 1,000 rows. */
function meanAbsoluteErrors(): Record<Metric, number> {
  const totals = Object.fromEntries(METRICS.map((m) => [m, 0])) as Record<Metric, number>;
  const chunks = 40;
  for (let seed = 1; seed <= chunks; seed++) {
    const { probabilities, labels, decisions } = chunk(1000, seed);
    const estimated = estimateMetrics(probabilities, decisions);
    const realised = realisedMetrics(labels, probabilities, decisions);
    for (const m of METRICS)
      totals[m] += Math.abs((estimated[m] as number) - (realised[m] as number)) / chunks;
  }
  return totals;
}

const mae = meanAbsoluteErrors();

describe('confidence-based performance estimation', () => {
  it('computes the expected confusion matrix and metrics of a hand example', () => {
    // Prepare: predicted positives p = 0.9, 0.6; predicted negatives p = 0.2, 0.1.
    // E[TP] = 1.5, E[FP] = 0.5, E[FN] = 0.3, E[TN] = 1.7 → precision 0.75, recall 1.5/1.8,
    // F1 = 3 / (3 + 0.8), accuracy 3.2 / 4.
    // Act
    const confusion = expectedConfusion([0.9, 0.6, 0.2, 0.1], [1, 1, 0, 0]);
    const metrics = estimateMetrics([0.9, 0.6, 0.2, 0.1], [1, 1, 0, 0]);
    // Assess
    expect(confusion.tp).toBeCloseTo(1.5, 12);
    expect(confusion.tn).toBeCloseTo(1.7, 12);
    expect(metrics.precision).toBeCloseTo(0.75, 12);
    expect(metrics.recall).toBeCloseTo(1.5 / 1.8, 12);
    expect(metrics.f1).toBeCloseTo(3 / 3.8, 12);
    expect(metrics.accuracy).toBeCloseTo(0.8, 12);
  });

  it('gives the rank ROC-AUC when the probabilities are the labels themselves, ties counting one half', () => {
    // Prepare
    const labels = [0, 1, 0, 1, 1, 0, 0, 1];
    const scores = [0.1, 0.8, 0.8, 0.3, 0.9, 0.2, 0.3, 0.6];
    // Act
    const fromWalk = realisedMetrics(labels, scores, [0, 1, 1, 0, 1, 0, 0, 1]).rocAuc;
    // Assess
    expect(fromWalk).toBeCloseTo(rocAuc(labels, scores), 12);
    expect(estimateRocAuc([0, 0, 0])).toBeNull();
  });

  it(`matches the realised metrics on labels drawn from the probabilities (MAE over 40 chunks of 1,000: ROC-AUC ${mae.rocAuc.toFixed(4)}, F1 ${mae.f1.toFixed(4)}, accuracy ${mae.accuracy.toFixed(4)})`, () => {
    // Assess: the error is the realised metrics' own sampling noise on 1,000 rows.
    expect(mae.rocAuc).toBeLessThan(0.02);
    expect(mae.f1).toBeLessThan(0.03);
    expect(mae.accuracy).toBeLessThan(0.02);
    expect(mae.precision).toBeLessThan(0.03);
    expect(mae.recall).toBeLessThan(0.03);
  });

  it('tracks a covariate shift towards uncertain customers before any label is known', () => {
    // Prepare
    const reference = chunk(4000, 100);
    const shifted = chunk(4000, 101, 1.5, 0.6);
    // Act
    const before = estimateMetrics(reference.probabilities, reference.decisions);
    const after = estimateMetrics(shifted.probabilities, shifted.decisions);
    const realisedAfter = realisedMetrics(shifted.labels, shifted.probabilities, shifted.decisions);
    // Assess: the estimate falls as the realised value does, and lands near it.
    expect(after.rocAuc as number).toBeLessThan((before.rocAuc as number) - 0.1);
    expect(Math.abs((after.rocAuc as number) - (realisedAfter.rocAuc as number))).toBeLessThan(0.03);
    expect(Math.abs(after.accuracy - realisedAfter.accuracy)).toBeLessThan(0.03);
  });

  it('names a malformed input', () => {
    expect(() => estimateMetrics([0.5, 1.2], [0, 1])).toThrow(/probability 1 is 1.2/);
    expect(() => estimateMetrics([0.5], [2])).toThrow(/decision 0 is 2/);
  });
});
