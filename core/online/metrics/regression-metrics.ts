import type { RegressionMetrics } from '../types.js';

/** What the metrics hold, as plain JSON: the window's truths and predictions, oldest first. */
export interface RollingRegressionMetricsState {
  readonly window: number;
  readonly truths: readonly number[];
  readonly predictions: readonly number[];
}

/**
 * Prequential MAE, RMSE and R² over the last `window` records. The window is kept and the
 * metrics are recomputed from it (two passes, oldest first) when asked: no running sums that
 * drift over millions of records, and the same window gives the same bits after a restore.
 */
export class RollingRegressionMetrics {
  private readonly truths: number[];
  private readonly predictions: number[];
  /** Ring position of the oldest record once the window is full. */
  private head = 0;
  private cached: RegressionMetrics | undefined;

  constructor(readonly window: number) {
    if (!Number.isInteger(window) || window < 1) {
      throw new Error(`metrics window must be a positive integer, got ${window}`);
    }
    this.truths = [];
    this.predictions = [];
  }

  update(y: number, prediction: number): void {
    if (!Number.isFinite(y) || !Number.isFinite(prediction)) {
      throw new Error(`regression metrics need finite numbers, got truth ${y} and prediction ${prediction}`);
    }
    this.cached = undefined;
    if (this.truths.length < this.window) {
      this.truths.push(y);
      this.predictions.push(prediction);
      return;
    }
    this.truths[this.head] = y;
    this.predictions[this.head] = prediction;
    this.head = (this.head + 1) % this.window;
  }

  value(): RegressionMetrics {
    this.cached ??= this.compute();
    return this.cached;
  }

  state(): RollingRegressionMetricsState {
    return {
      window: this.window,
      truths: this.inOrder(this.truths),
      predictions: this.inOrder(this.predictions),
    };
  }

  static restore(s: RollingRegressionMetricsState): RollingRegressionMetrics {
    if (s.truths.length !== s.predictions.length || s.truths.length > s.window) {
      throw new Error(
        `regression metrics state is inconsistent: ${s.truths.length} truths, ${s.predictions.length} predictions, window ${s.window}`,
      );
    }
    const metrics = new RollingRegressionMetrics(s.window);
    s.truths.forEach((y, i) => {
      metrics.update(y, s.predictions[i] as number);
    });
    return metrics;
  }

  private inOrder(ring: readonly number[]): number[] {
    return [...ring.slice(this.head), ...ring.slice(0, this.head)];
  }

  private compute(): RegressionMetrics {
    const count = this.truths.length;
    if (count === 0) return { count, mae: null, rmse: null, r2: null };
    const truths = this.inOrder(this.truths);
    const predictions = this.inOrder(this.predictions);
    let absolute = 0;
    let squared = 0;
    let sum = 0;
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < count; i++) {
      const y = truths[i] as number;
      const error = y - (predictions[i] as number);
      absolute += Math.abs(error);
      squared += error * error;
      sum += y;
      if (y < min) min = y;
      if (y > max) max = y;
    }
    const mean = sum / count;
    let total = 0;
    for (const y of truths) total += (y - mean) * (y - mean);
    // R² compares with predicting the window's mean: undefined when the truths do not vary.
    const r2 = count < 2 || min === max || total === 0 ? null : 1 - squared / total;
    return { count, mae: absolute / count, rmse: Math.sqrt(squared / count), r2 };
  }
}
