import { FeatureSlots } from '../preprocessing/feature-slots.js';
import { StandardScaler, type StandardScalerState } from '../preprocessing/standard-scaler.js';
import type { Features, SgdLinearConfig } from '../types.js';

/** Everything an SGD linear model holds, as plain JSON. */
export interface SgdLinearState {
  readonly weights: Record<string, number>;
  readonly intercept: number;
  readonly scaler?: StandardScalerState;
}

/** River's `clip_gradient` default: each loss gradient is clamped to ±1e12 before the step. */
export const CLIP_GRADIENT = 1e12;

export function clamp(value: number, limit: number): number {
  return Math.min(limit, Math.max(-limit, value));
}

/**
 * The part the SGD linear models share: weights by feature slot (the scaler's slots when
 * standardising) and the intercept, records read into reusable arrays, and the dense dot product
 * and weight step over every slot. Each model keeps its loss, its intercept step and, for
 * logistic regression, its own handling of records that lack some features.
 * The model's classes read and write `weights`, `input` and `intercept` directly: they are the
 * hot loops' arrays.
 */
export class SgdLinear {
  readonly slots: FeatureSlots;
  readonly weights: number[];
  intercept: number;
  private readonly scaler: StandardScaler | undefined;
  /** Reused per record: the raw values by slot, and what the model sees. */
  private readonly raw: number[] = [];
  readonly input: number[] = [];
  /** The record `raw` holds, when it is the last one predicted (prequential: predict, then learn). */
  private rawOf: Features | undefined;

  /**
   * `slotEveryWeight`: when standardising, give a restored weight the scaler has no slot for a
   * slot anyway (linear regression does; logistic regression drops such a weight).
   */
  constructor(standardize: boolean, restored: SgdLinearState | undefined, slotEveryWeight: boolean) {
    const weights = restored?.weights ?? {};
    if (standardize) {
      this.scaler = restored?.scaler ? StandardScaler.restore(restored.scaler) : new StandardScaler();
      this.slots = this.scaler.slots;
      // A weight the scaler has no slot for cannot have been learned through it.
      if (slotEveryWeight) for (const name of Object.keys(weights)) this.slots.read({ [name]: 0 }, this.raw);
    } else {
      this.slots = new FeatureSlots(Object.keys(weights));
    }
    this.weights = this.slots.names.map((name) => weights[name] ?? 0);
    this.intercept = restored?.intercept ?? 0;
  }

  /** Whether x is the record `input` was last read from for a prediction (so needs no second read). */
  holds(x: Features): boolean {
    return x === this.rawOf;
  }

  /** Reads x into `input` (standardised when so configured); returns the slot count. */
  read(x: Features, learning: boolean): number {
    // Records are read-only values: the same object as the last prediction needs no second read.
    const n = x === this.rawOf ? this.slots.size : this.slots.read(x, this.raw);
    this.rawOf = learning ? undefined : x;
    while (this.weights.length < n) this.weights.push(0);
    if (!this.scaler) {
      for (let i = 0; i < n; i++) this.input[i] = this.raw[i] as number;
      return n;
    }
    if (learning) this.scaler.learnValues(this.raw, n);
    this.scaler.transformValues(this.raw, n, this.input);
    return n;
  }

  /** w·x + intercept over the first n slots. */
  dot(n: number): number {
    let sum = 0;
    const weights = this.weights;
    const input = this.input;
    for (let i = 0; i < n; i++) sum += (weights[i] as number) * (input[i] as number);
    return sum + this.intercept;
  }

  /** One SGD step of every weight of the first n slots: w −= step·(x·gradient + l2·w). */
  stepWeights(n: number, gradient: number, { learningRate, l2 }: SgdLinearConfig): void {
    const weights = this.weights;
    const input = this.input;
    for (let i = 0; i < n; i++) {
      const weight = weights[i] as number;
      weights[i] = weight - learningRate * ((input[i] as number) * gradient + l2 * weight);
    }
  }

  /** |weight| per feature (on the standardised scale when standardising, so they compare). */
  importance(): Record<string, number> {
    const out: Record<string, number> = {};
    this.slots.names.forEach((name, slot) => {
      out[name] = Math.abs(this.weights[slot] ?? 0);
    });
    return out;
  }

  state(): SgdLinearState {
    const weights: Record<string, number> = {};
    this.slots.names.forEach((name, slot) => {
      weights[name] = this.weights[slot] ?? 0;
    });
    return { weights, intercept: this.intercept, ...(this.scaler ? { scaler: this.scaler.state() } : {}) };
  }
}
