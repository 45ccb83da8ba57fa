import { describe, expect, it } from 'vitest';
import { RollingRegressionMetrics } from '../../../../../core/online/metrics/regression-metrics.js';

describe('RollingRegressionMetrics', () => {
  it('gives MAE, RMSE and R² as computed by hand', () => {
    // Prepare: truths 1..4, predictions 1.5, 2, 2, 5 → errors −0.5, 0, 1, −1.
    const metrics = new RollingRegressionMetrics(10);

    // Act
    for (const [y, p] of [
      [1, 1.5],
      [2, 2],
      [3, 2],
      [4, 5],
    ] as const)
      metrics.update(y, p);

    // Assess: MAE 2.5/4; RMSE √(2.25/4); R² = 1 − 2.25 / 5 (the truths' squares about 2.5).
    const value = metrics.value();
    expect(value.count).toBe(4);
    expect(value.mae).toBeCloseTo(0.625, 15);
    expect(value.rmse).toBeCloseTo(0.75, 15);
    expect(value.r2).toBeCloseTo(0.55, 15);
  });

  it('looks back over the window only', () => {
    // Prepare: a first record far off, then three the window keeps.
    const metrics = new RollingRegressionMetrics(3);

    // Act
    metrics.update(100, 0);
    metrics.update(1, 2);
    metrics.update(2, 2);
    metrics.update(3, 2);

    // Assess: errors −1, 0, 1 only.
    expect(metrics.value()).toEqual({ count: 3, mae: 2 / 3, rmse: Math.sqrt(2 / 3), r2: 0 });
  });

  it('has no R² for fewer than two records or truths that do not vary, and nothing before the first', () => {
    // Prepare
    const metrics = new RollingRegressionMetrics(5);
    expect(metrics.value()).toEqual({ count: 0, mae: null, rmse: null, r2: null });

    // Act
    metrics.update(0.1, 0.3);
    const one = metrics.value();
    metrics.update(0.1, 0);
    metrics.update(0.1, 0.1);

    // Assess
    expect(one.r2).toBeNull();
    expect(one.mae).toBeCloseTo(0.2, 15);
    expect(metrics.value().r2).toBeNull();
  });

  it('stays exact after a million records far from zero', () => {
    // Prepare: truths around 1e9 whose window varies by a few units.
    const metrics = new RollingRegressionMetrics(4);

    // Act
    for (let i = 0; i < 1_000_000; i++) metrics.update(1e9 + (i % 4), 1e9 + (i % 4) + 0.5);

    // Assess: the last window is 1e9 + 0..3 with every error −0.5; R² = 1 − 1 / 5.
    expect(metrics.value()).toEqual({ count: 4, mae: 0.5, rmse: 0.5, r2: 0.8 });
  });

  it('restores from JSON to the same values and the same next values', () => {
    // Prepare
    const metrics = new RollingRegressionMetrics(7);
    for (let i = 0; i < 20; i++) metrics.update(Math.sin(i), Math.cos(i));

    // Act
    const restored = RollingRegressionMetrics.restore(JSON.parse(JSON.stringify(metrics.state())));
    metrics.update(0.5, 0.25);
    restored.update(0.5, 0.25);

    // Assess
    expect(restored.value()).toEqual(metrics.value());
    expect(restored.state()).toEqual(metrics.state());
  });

  it('refuses a window that is not a positive integer and truths that are not finite', () => {
    expect(() => new RollingRegressionMetrics(0)).toThrow(/window must be a positive integer, got 0/);
    expect(() => new RollingRegressionMetrics(2).update(Number.NaN, 1)).toThrow(/finite numbers/);
  });
});
