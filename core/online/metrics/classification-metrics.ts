import type { ClassificationMetrics } from '../types.js';

/** Probabilities are clipped to [ε, 1 − ε] before the log, as River and scikit-learn do. */
const LOG_LOSS_EPSILON = 1e-15;

/**
 * The class a probability stands for: 1 only above the threshold, so a tie (0.5) is class 0, as
 * River's `predict_one` (the first class wins a tie) and the metrics here count it.
 */
export function predictedClass(probability: number, threshold = 0.5): 0 | 1 {
  return probability > threshold ? 1 : 0;
}

export interface RollingClassificationMetricsState {
  readonly window: number;
  readonly threshold: number;
  /** The window's records, oldest first: truths and probabilities. */
  readonly truths: readonly (0 | 1)[];
  readonly probabilities: readonly number[];
}

/**
 * Prequential classification metrics over the last `window` records: accuracy, F1 of class 1,
 * log-loss, and the exact ROC-AUC (Mann–Whitney over the window, tied scores sharing their mean
 * rank, which is scikit-learn's `roc_auc_score`). Everything is recomputed from the window on
 * `value()`, so nothing drifts over millions of records; a copy of the window kept sorted by
 * probability (one insertion and one removal per update) makes the AUC a single pass.
 */
export class RollingClassificationMetrics {
  private readonly truths: Uint8Array;
  private readonly probabilities: Float64Array;
  /** Ring buffer: the oldest record is at `start`, `count` records in all. */
  private start = 0;
  private count = 0;
  private readonly sortedP: Float64Array;
  private readonly sortedY: Uint8Array;
  /** Entries in the sorted copy; equals `count` except inside `update`. */
  private sortedLength = 0;

  constructor(
    readonly window: number,
    readonly threshold = 0.5,
  ) {
    if (!Number.isInteger(window) || window < 1) {
      throw new Error(`metrics window must be a positive integer of records, got ${window}`);
    }
    if (!(threshold >= 0 && threshold <= 1)) {
      throw new Error(`classification threshold must be in [0, 1], got ${threshold}`);
    }
    this.truths = new Uint8Array(window);
    this.probabilities = new Float64Array(window);
    this.sortedP = new Float64Array(window);
    this.sortedY = new Uint8Array(window);
  }

  update(y: 0 | 1, probability: number): void {
    if (y !== 0 && y !== 1) throw new Error(`class must be 0 or 1, got ${y}`);
    if (!(probability >= 0 && probability <= 1)) {
      throw new Error(`probability must be in [0, 1], got ${probability}`);
    }
    if (this.count === this.window) {
      this.removeSorted(this.probabilities[this.start] as number, this.truths[this.start] as number);
      this.truths[this.start] = y;
      this.probabilities[this.start] = probability;
      this.start = (this.start + 1) % this.window;
    } else {
      const at = (this.start + this.count) % this.window;
      this.truths[at] = y;
      this.probabilities[at] = probability;
      this.count += 1;
    }
    this.insertSorted(probability, y);
  }

  value(): ClassificationMetrics {
    const n = this.count;
    if (n === 0) return { count: 0, accuracy: null, f1: null, logLoss: null, rocAuc: null };
    let correct = 0;
    let tp = 0;
    let fp = 0;
    let fn = 0;
    let loss = 0;
    for (let k = 0; k < n; k++) {
      const at = (this.start + k) % this.window;
      const y = this.truths[at] as number;
      const p = this.probabilities[at] as number;
      const predicted = p > this.threshold ? 1 : 0;
      if (predicted === y) correct += 1;
      if (predicted === 1 && y === 1) tp += 1;
      else if (predicted === 1) fp += 1;
      else if (y === 1) fn += 1;
      const clipped = Math.min(Math.max(p, LOG_LOSS_EPSILON), 1 - LOG_LOSS_EPSILON);
      loss -= y === 1 ? Math.log(clipped) : Math.log(1 - clipped);
    }
    // scikit-learn's and River's F1 is 0 when there is no positive to predict or predicted.
    const f1Denominator = 2 * tp + fp + fn;
    return {
      count: n,
      accuracy: correct / n,
      f1: f1Denominator === 0 ? 0 : (2 * tp) / f1Denominator,
      logLoss: loss / n,
      rocAuc: this.rocAuc(),
    };
  }

  state(): RollingClassificationMetricsState {
    const truths: (0 | 1)[] = [];
    const probabilities: number[] = [];
    for (let k = 0; k < this.count; k++) {
      const at = (this.start + k) % this.window;
      truths.push(this.truths[at] as 0 | 1);
      probabilities.push(this.probabilities[at] as number);
    }
    return { window: this.window, threshold: this.threshold, truths, probabilities };
  }

  static restore(s: RollingClassificationMetricsState): RollingClassificationMetrics {
    if (s.truths.length !== s.probabilities.length || s.truths.length > s.window) {
      throw new Error(
        'classification metrics state: truths and probabilities must pair up within the window',
      );
    }
    const metrics = new RollingClassificationMetrics(s.window, s.threshold);
    s.truths.forEach((y, k) => {
      metrics.update(y, s.probabilities[k] as number);
    });
    return metrics;
  }

  /** Area under the ROC curve from the sorted window; null with only one class in it. */
  private rocAuc(): number | null {
    const n = this.count;
    let positives = 0;
    for (let k = 0; k < n; k++) positives += this.sortedY[k] as number;
    const negatives = n - positives;
    if (positives === 0 || negatives === 0) return null;
    let rankSum = 0;
    let k = 0;
    while (k < n) {
      // A group of equal probabilities occupies ranks k+1 … end; each gets their mean.
      let end = k + 1;
      let groupPositives = this.sortedY[k] as number;
      while (end < n && this.sortedP[end] === this.sortedP[k]) {
        groupPositives += this.sortedY[end] as number;
        end += 1;
      }
      rankSum += groupPositives * ((k + 1 + end) / 2);
      k = end;
    }
    return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
  }

  /** First index whose probability is ≥ p. */
  private lowerBound(p: number): number {
    let lo = 0;
    let hi = this.sortedLength;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.sortedP[mid] as number) < p) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private insertSorted(p: number, y: number): void {
    const at = this.lowerBound(p);
    this.sortedP.copyWithin(at + 1, at, this.sortedLength);
    this.sortedY.copyWithin(at + 1, at, this.sortedLength);
    this.sortedP[at] = p;
    this.sortedY[at] = y;
    this.sortedLength += 1;
  }

  private removeSorted(p: number, y: number): void {
    let at = this.lowerBound(p);
    while (at < this.sortedLength && (this.sortedP[at] !== p || this.sortedY[at] !== y)) at += 1;
    this.sortedP.copyWithin(at, at + 1, this.sortedLength);
    this.sortedY.copyWithin(at, at + 1, this.sortedLength);
    this.sortedLength -= 1;
  }
}
