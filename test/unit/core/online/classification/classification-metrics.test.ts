import { describe, expect, it } from 'vitest';
import {
  predictedClass,
  RollingClassificationMetrics,
} from '../../../../../core/online/metrics/classification-metrics.js';

function metricsOf(truths: (0 | 1)[], probabilities: number[], window = 100): RollingClassificationMetrics {
  const metrics = new RollingClassificationMetrics(window);
  truths.forEach((y, i) => {
    metrics.update(y, probabilities[i] as number);
  });
  return metrics;
}

describe('RollingClassificationMetrics', () => {
  it('reports nulls before any record', () => {
    // Prepare
    const metrics = new RollingClassificationMetrics(10);

    // Act
    const value = metrics.value();

    // Assess
    expect(value).toEqual({ count: 0, accuracy: null, f1: null, logLoss: null, rocAuc: null });
  });

  it("matches scikit-learn's values on its roc_auc_score example", () => {
    // Prepare: sklearn: roc_auc_score([0,0,1,1],[.1,.4,.35,.8]) = 0.75; log_loss = 0.4722879…;
    // accuracy 3/4 (0.35 is predicted 0), f1 = 2·1/(2·1 + 0 + 1) = 2/3.
    const metrics = metricsOf([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);

    // Act
    const value = metrics.value();

    // Assess
    expect(value.count).toBe(4);
    expect(value.rocAuc).toBeCloseTo(0.75, 12);
    expect(value.accuracy).toBe(0.75);
    expect(value.f1).toBeCloseTo(2 / 3, 12);
    const byHand = -(Math.log(0.9) + Math.log(0.6) + Math.log(0.35) + Math.log(0.8)) / 4;
    expect(value.logLoss).toBeCloseTo(byHand, 12);
    expect(value.logLoss).toBeCloseTo(0.4722879, 6);
  });

  it('gives tied scores their mean rank in ROC-AUC, as scikit-learn does', () => {
    // Prepare: pairs (pos, neg): (.5,.5) counts ½, (.5,.2), (.9,.5), (.9,.2) count 1 → 3.5 / 4.
    const metrics = metricsOf([0, 1, 0, 1], [0.5, 0.5, 0.2, 0.9]);

    // Act
    const value = metrics.value();

    // Assess
    expect(value.rocAuc).toBe(0.875);
    // 0.5 is not above the threshold: both 0.5s are predicted 0.
    expect(value.accuracy).toBe(0.75);
  });

  it('has no ROC-AUC with one class in the window, and F1 0 with no positive anywhere', () => {
    // Prepare
    const metrics = metricsOf([0, 0, 0], [0.2, 0.1, 0.3]);

    // Act
    const value = metrics.value();

    // Assess
    expect(value.rocAuc).toBeNull();
    expect(value.f1).toBe(0);
    expect(value.accuracy).toBe(1);
  });

  it('clips probabilities at 1e-15 for the log-loss, as River and scikit-learn do', () => {
    // Prepare: a certain and wrong prediction
    const metrics = metricsOf([1], [0]);

    // Act
    const value = metrics.value();

    // Assess
    expect(value.logLoss).toBeCloseTo(-Math.log(1e-15), 9);
    expect(value.logLoss).toBeCloseTo(34.538776394910684, 9);
  });

  it('forgets records older than the window', () => {
    // Prepare: three wrong predictions, then a window's worth of right ones
    const metrics = new RollingClassificationMetrics(4);
    for (const p of [0.9, 0.8, 0.7]) metrics.update(0, p);

    // Act
    for (const [y, p] of [
      [1, 0.9],
      [0, 0.2],
      [1, 0.6],
      [0, 0.4],
    ] as const)
      metrics.update(y, p);

    // Assess
    const value = metrics.value();
    expect(value.count).toBe(4);
    expect(value.accuracy).toBe(1);
    expect(value.f1).toBe(1);
    expect(value.rocAuc).toBe(1);
  });

  it('keeps the AUC exact while the window slides over many tied and repeated scores', () => {
    // Prepare: scores on a coarse grid so ties and removals of equal scores are frequent
    const window = 50;
    const metrics = new RollingClassificationMetrics(window);
    const all: [0 | 1, number][] = [];
    let seed = 7;
    const next = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };

    // Act / Assess: after every update, compare with a brute-force pair count
    for (let i = 0; i < 400; i++) {
      const y: 0 | 1 = next() < 0.4 ? 1 : 0;
      const p = Math.round(next() * 10) / 10;
      metrics.update(y, p);
      all.push([y, p]);
      const recent = all.slice(-window);
      const pos = recent.filter(([t]) => t === 1).map(([, q]) => q);
      const neg = recent.filter(([t]) => t === 0).map(([, q]) => q);
      let wins = 0;
      for (const a of pos) for (const b of neg) wins += a > b ? 1 : a === b ? 0.5 : 0;
      const expected = pos.length && neg.length ? wins / (pos.length * neg.length) : null;
      const actual = metrics.value().rocAuc;
      if (expected === null) expect(actual).toBeNull();
      else expect(actual).toBeCloseTo(expected, 12);
    }
  });

  it('continues identically after a JSON round trip of its state', () => {
    // Prepare
    const original = metricsOf([0, 1, 1, 0, 1], [0.3, 0.7, 0.4, 0.1, 0.95], 3);
    const restored = RollingClassificationMetrics.restore(JSON.parse(JSON.stringify(original.state())));

    // Act
    original.update(0, 0.6);
    restored.update(0, 0.6);

    // Assess
    expect(restored.value()).toEqual(original.value());
    expect(restored.state()).toEqual(original.state());
  });

  it('refuses a window that is not a positive integer and probabilities outside [0, 1]', () => {
    // Prepare / Act / Assess
    expect(() => new RollingClassificationMetrics(0)).toThrow(/window must be a positive integer/);
    expect(() => new RollingClassificationMetrics(10).update(1, 1.5)).toThrow(
      /probability must be in \[0, 1\]/,
    );
  });

  it('calls a probability class 1 only above the threshold', () => {
    // Prepare / Act / Assess
    expect(predictedClass(0.5)).toBe(0);
    expect(predictedClass(0.5000001)).toBe(1);
    expect(predictedClass(0.3, 0.2)).toBe(1);
  });
});
