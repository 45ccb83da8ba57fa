import type { Features } from '../types.js';
import { FeatureSlots } from './feature-slots.js';

/** Everything the scaler holds, as plain JSON. */
export interface StandardScalerState {
  readonly count: number;
  readonly mean: Record<string, number>;
  /** Sum of squared deviations from the mean (Welford's M2); variance = m2 / count. */
  readonly m2: Record<string, number>;
}

/**
 * Online standardisation with River's `preprocessing.StandardScaler` semantics: Welford's running
 * mean and population variance per feature, `(x - mean) / std`, and 0 where std is 0.
 *
 * One count for all features (not one per feature as River keeps): a name missing from a record
 * reads as 0, so a feature first seen after n records starts as the statistics of n zeros, which
 * is what Welford's update gives from mean 0 and M2 0.
 *
 * Besides the by-name API, models call the by-slot one (`slots`, `learnValues`,
 * `transformValues`) to standardise whole records as arrays.
 */
export class StandardScaler {
  readonly slots: FeatureSlots;
  private count: number;
  private readonly mean: number[];
  private readonly m2: number[];
  private readonly buffer: number[] = [];

  constructor(state?: StandardScalerState) {
    const names = state ? Object.keys(state.mean) : [];
    this.slots = new FeatureSlots(names);
    this.count = state?.count ?? 0;
    this.mean = names.map((name) => state?.mean[name] ?? 0);
    this.m2 = names.map((name) => state?.m2[name] ?? 0);
  }

  learn(x: Features): void {
    const n = this.slots.read(x, this.buffer);
    this.learnValues(this.buffer, n);
  }

  /** Standardises the features present in `x`; a feature never learned passes as 0 (std 0). */
  transform(x: Features): Record<string, number> {
    const out: Record<string, number> = {};
    for (const name in x) {
      const slot = this.slots.slotOf(name);
      out[name] = slot === undefined ? 0 : this.standardise(slot, x[name] as number);
    }
    return out;
  }

  /** Learns a record already read through `slots` (`values[i]` is slot i's value, n slots). */
  learnValues(values: readonly number[], n: number): void {
    this.grow(n);
    this.count += 1;
    const count = this.count;
    const mean = this.mean;
    const m2 = this.m2;
    for (let i = 0; i < n; i++) {
      const value = values[i] as number;
      const oldMean = mean[i] as number;
      const newMean = oldMean + (value - oldMean) / count;
      mean[i] = newMean;
      m2[i] = (m2[i] as number) + (value - oldMean) * (value - newMean);
    }
  }

  /** Writes the standardised values of slots 0..n-1 into `out`. */
  transformValues(values: readonly number[], n: number, out: number[]): void {
    for (let i = 0; i < n; i++) out[i] = this.standardise(i, values[i] as number);
  }

  state(): StandardScalerState {
    const mean: Record<string, number> = {};
    const m2: Record<string, number> = {};
    this.slots.names.forEach((name, slot) => {
      mean[name] = this.mean[slot] ?? 0;
      m2[name] = this.m2[slot] ?? 0;
    });
    return { count: this.count, mean, m2 };
  }

  static restore(s: StandardScalerState): StandardScaler {
    return new StandardScaler(s);
  }

  private standardise(slot: number, value: number): number {
    const m2 = this.m2[slot] ?? 0;
    // M2 can come out a hair below 0 by rounding; that is a zero variance.
    if (this.count === 0 || !(m2 > 0)) return 0;
    return (value - (this.mean[slot] as number)) / Math.sqrt(m2 / this.count);
  }

  private grow(n: number): void {
    while (this.mean.length < n) {
      this.mean.push(0);
      this.m2.push(0);
    }
  }
}
