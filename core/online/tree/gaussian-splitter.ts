import { type ClassDistribution, infoGainMerit } from './classifier-split-criterion.js';
import { gaussianCdf, gaussianPdf } from './gaussian-estimator.js';

/** Split candidates per attempt, River's `GaussianSplitter(n_splits=10)`. */
const N_SPLITS = 10;

/** One class's view of one feature in one leaf: its normal fit and the range it has seen. */
interface ClassObservation {
  n: number;
  mean: number;
  s: number;
  min: number;
  max: number;
}

/** A split candidate: the merit (info gain) and the class weights either side of `x ≤ threshold`. */
export interface SplitSuggestion {
  readonly merit: number;
  readonly threshold: number;
  readonly left: ClassDistribution;
  readonly right: ClassDistribution;
}

export interface GaussianSplitterState {
  /** Classes in the order this observer first saw them (River iterates its dict in that order). */
  readonly classes: readonly (0 | 1)[];
  /** Per class (index 0 and 1): [n, mean, s, min, max], or null for a class not seen here. */
  readonly observations: readonly (readonly [number, number, number, number, number] | null)[];
}

/**
 * River's `tree.splitter.GaussianSplitter` for a binary target: per class, a normal approximation
 * of the feature and its min/max; split points are 10 equal steps between the overall min and
 * max, and the class weights either side of a point come from each class's normal CDF.
 */
export class GaussianSplitter {
  private readonly byClass: (ClassObservation | null)[] = [null, null];
  private readonly classes: (0 | 1)[] = [];

  update(value: number, y: 0 | 1, w: number): void {
    let o = this.byClass[y];
    if (o === null || o === undefined) {
      o = { n: 0, mean: 0, s: 0, min: value, max: value };
      this.byClass[y] = o;
      this.classes.push(y);
    } else {
      if (value < o.min) o.min = value;
      if (value > o.max) o.max = value;
    }
    const oldMean = o.mean;
    o.n += w;
    o.mean = oldMean + (w / o.n) * (value - oldMean);
    o.s += w * (value - oldMean) * (value - o.mean);
  }

  /** The density of `value` under class y's normal fit; 0 for a class this observer never saw. */
  condProba(value: number, y: 0 | 1): number {
    const o = this.byClass[y];
    return o ? gaussianPdf(o.n, o.mean, o.s, value) : 0;
  }

  /** The best of the candidate thresholds by info gain, or null when there is no candidate. */
  bestSplit(pre: ClassDistribution, minBranchFraction: number): SplitSuggestion | null {
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (const c of this.classes) {
      const o = this.byClass[c] as ClassObservation;
      if (o.min < min) min = o.min;
      if (o.max > max) max = o.max;
    }
    if (!(min < Number.POSITIVE_INFINITY)) return null;
    let best: SplitSuggestion | null = null;
    let bestMerit = Number.NEGATIVE_INFINITY;
    const step = (max - min) / (N_SPLITS + 1);
    for (let i = 0; i < N_SPLITS; i++) {
      const threshold = min + step * (i + 1);
      if (!(min < threshold && threshold < max)) continue;
      const [left, right] = this.distributionsAround(threshold);
      const merit = infoGainMerit(pre, left, right, minBranchFraction);
      if (merit > bestMerit) {
        bestMerit = merit;
        best = { merit, threshold, left, right };
      }
    }
    return best;
  }

  private distributionsAround(threshold: number): [ClassDistribution, ClassDistribution] {
    const left: ClassDistribution = { weights: [0, 0], classes: [] };
    const right: ClassDistribution = { weights: [0, 0], classes: [] };
    for (const c of this.classes) {
      const o = this.byClass[c] as ClassObservation;
      if (threshold < o.min) {
        right.weights[c] = o.n;
        right.classes.push(c);
      } else if (threshold >= o.max) {
        left.weights[c] = o.n;
        left.classes.push(c);
      } else {
        const l = gaussianCdf(o.n, o.mean, o.s, threshold) * o.n;
        left.weights[c] = l;
        left.classes.push(c);
        right.weights[c] = o.n - l;
        right.classes.push(c);
      }
    }
    return [left, right];
  }

  state(): GaussianSplitterState {
    return {
      classes: [...this.classes],
      observations: this.byClass.map((o) => (o ? ([o.n, o.mean, o.s, o.min, o.max] as const) : null)),
    };
  }

  static restore(s: GaussianSplitterState): GaussianSplitter {
    const splitter = new GaussianSplitter();
    for (const c of s.classes) splitter.classes.push(c);
    s.observations.forEach((o, c) => {
      if (o) splitter.byClass[c] = { n: o[0], mean: o[1], s: o[2], min: o[3], max: o[4] };
    });
    return splitter;
  }
}
