import { gaussianPdf, gaussianVariance } from '../tree/gaussian-estimator.js';
import type { Features } from '../types.js';

export interface GaussianNBData {
  /** Records learned per class (index 0 and 1). */
  readonly counts: readonly [number, number];
  /** Per feature, per class: [weight seen, mean, sum of squared deviations]. */
  readonly features: Record<
    string,
    readonly [readonly [number, number, number], readonly [number, number, number]]
  >;
}

/** River adds 1e-9 (written 10e-10) to each density so an impossible value is not log(0). */
const DENSITY_FLOOR = 10e-10;

/**
 * River's `naive_bayes.GaussianNB` for a binary target: a normal fit per class and feature,
 * the class prior from the counts, and P(y | x) from the joint log-likelihood with log-sum-exp.
 * Only the features present in a record count (River's semantics): a feature a class has not
 * seen has density 0 for it, which the floor turns into a large but finite penalty.
 */
export class GaussianNB {
  private readonly counts: [number, number];
  private readonly index = new Map<string, number>();
  /** Moments by class, then feature index: weight seen, mean, sum of squared deviations. */
  private readonly n: [number[], number[]] = [[], []];
  private readonly mean: [number[], number[]] = [[], []];
  private readonly s: [number[], number[]] = [[], []];

  constructor(data?: GaussianNBData) {
    this.counts = data ? [data.counts[0], data.counts[1]] : [0, 0];
    for (const [name, perClass] of Object.entries(data?.features ?? {})) {
      this.addFeature(name);
      for (const c of [0, 1] as const) {
        const i = this.index.get(name) as number;
        [this.n[c][i], this.mean[c][i], this.s[c][i]] = perClass[c];
      }
    }
  }

  predictProbability(x: Features): number {
    const [c0, c1] = this.counts;
    if (c0 === 0 && c1 === 0) return 0.5;
    if (c0 === 0) return 1;
    if (c1 === 0) return 0;
    const total = c0 + c1;
    const ll0 = Math.log(c0 / total) + this.logLikelihood(x, 0);
    const ll1 = Math.log(c1 / total) + this.logLikelihood(x, 1);
    const max = Math.max(ll0, ll1);
    const lse = max + Math.log(Math.exp(ll0 - max) + Math.exp(ll1 - max));
    return Math.exp(ll1 - lse);
  }

  learn(x: Features, y: 0 | 1): void {
    this.counts[y] += 1;
    const n = this.n[y];
    const mean = this.mean[y];
    const s = this.s[y];
    for (const name in x) {
      let i = this.index.get(name);
      if (i === undefined) i = this.addFeature(name);
      const value = x[name] as number;
      const oldMean = mean[i] as number;
      const count = (n[i] as number) + 1;
      n[i] = count;
      const newMean = oldMean + (1 / count) * (value - oldMean);
      mean[i] = newMean;
      s[i] = (s[i] as number) + (value - oldMean) * (value - newMean);
    }
  }

  /**
   * How far apart the two classes sit on each feature: |mean₁ − mean₀| over the pooled standard
   * deviation (Cohen's d), the quantity a Gaussian naive Bayes separates classes by. 0 until both
   * classes have been seen with some spread.
   */
  importance(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [name, i] of this.index) {
      const n0 = this.n[0][i] as number;
      const n1 = this.n[1][i] as number;
      const pooled = n0 + n1 > 2 ? ((this.s[0][i] as number) + (this.s[1][i] as number)) / (n0 + n1 - 2) : 0;
      out[name] =
        n0 > 0 && n1 > 0 && pooled > 0
          ? Math.abs((this.mean[1][i] as number) - (this.mean[0][i] as number)) / Math.sqrt(pooled)
          : 0;
    }
    return out;
  }

  /** Per-class mean and sample variance of each feature, for reports. */
  summary(): Record<string, { mean: [number, number]; variance: [number, number] }> {
    const out: Record<string, { mean: [number, number]; variance: [number, number] }> = {};
    for (const [name, i] of this.index) {
      out[name] = {
        mean: [this.mean[0][i] as number, this.mean[1][i] as number],
        variance: [
          gaussianVariance(this.n[0][i] as number, this.s[0][i] as number),
          gaussianVariance(this.n[1][i] as number, this.s[1][i] as number),
        ],
      };
    }
    return out;
  }

  data(): GaussianNBData {
    const features: Record<string, [[number, number, number], [number, number, number]]> = {};
    for (const [name, i] of this.index) {
      features[name] = [
        [this.n[0][i] as number, this.mean[0][i] as number, this.s[0][i] as number],
        [this.n[1][i] as number, this.mean[1][i] as number, this.s[1][i] as number],
      ];
    }
    return { counts: [this.counts[0], this.counts[1]], features };
  }

  private logLikelihood(x: Features, c: 0 | 1): number {
    const n = this.n[c];
    const mean = this.mean[c];
    const s = this.s[c];
    let sum = 0;
    for (const name in x) {
      const i = this.index.get(name);
      const density =
        i === undefined
          ? 0
          : gaussianPdf(n[i] as number, mean[i] as number, s[i] as number, x[name] as number);
      sum += Math.log(DENSITY_FLOOR + density);
    }
    return sum;
  }

  private addFeature(name: string): number {
    const i = this.index.size;
    this.index.set(name, i);
    for (const c of [0, 1] as const) {
      this.n[c].push(0);
      this.mean[c].push(0);
      this.s[c].push(0);
    }
    return i;
  }
}
