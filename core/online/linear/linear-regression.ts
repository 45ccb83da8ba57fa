import { FeatureSlots } from '../preprocessing/feature-slots.js';
import { StandardScaler, type StandardScalerState } from '../preprocessing/standard-scaler.js';
import type { Features } from '../types.js';

/** Hyper-parameters of the SGD linear regression. */
export interface LinearRegressionSettings {
  /** SGD step for the weights (River: SGD(0.01)). */
  readonly learningRate: number;
  /** L2 penalty on the weights, not the intercept. */
  readonly l2: number;
  /** A StandardScaler in front (River: `StandardScaler() | LinearRegression()`). */
  readonly standardize: boolean;
}

/** Everything the model holds, as plain JSON. */
export interface LinearRegressionState {
  readonly weights: Record<string, number>;
  readonly intercept: number;
  readonly scaler?: StandardScalerState;
}

/** River's `intercept_lr` default: the intercept's own constant step, whatever the weights' step. */
const INTERCEPT_LEARNING_RATE = 0.01;
/** River's `clip_gradient` default: each loss gradient is clamped to ±1e12 before the step. */
const CLIP_GRADIENT = 1e12;

/**
 * Linear regression by plain SGD on the squared loss, River's `linear_model.LinearRegression`
 * step for step: the loss gradient 2·(ŷ − y) is clamped, the intercept moves by 0.01 times it,
 * each weight by the step times (x·gradient + l2·w). With `standardize`, a StandardScaler learns
 * each record first and the model sees its transform, as River's pipeline does in `learn_one`
 * (its `predict_one` transforms without learning). A feature missing from a record reads as 0
 * (River skips it, which differs only in that its weight then escapes the L2 shrinkage).
 */
export class LinearRegression {
  private readonly slots: FeatureSlots;
  private readonly weights: number[];
  private intercept: number;
  private readonly scaler: StandardScaler | undefined;
  /** Reused per record: the raw values by slot, and what the model sees. */
  private readonly raw: number[] = [];
  private readonly input: number[] = [];
  /** The record `raw` holds, when it is the last one predicted (prequential: predict, then learn). */
  private rawOf: Features | undefined;

  constructor(
    readonly settings: LinearRegressionSettings,
    restored?: LinearRegressionState,
  ) {
    const weights = restored?.weights ?? {};
    if (settings.standardize) {
      this.scaler = restored?.scaler ? StandardScaler.restore(restored.scaler) : new StandardScaler();
      this.slots = this.scaler.slots;
      // A weight the scaler has no slot for cannot have been learned through it; slot it anyway.
      for (const name of Object.keys(weights)) this.slots.read({ [name]: 0 }, this.raw);
    } else {
      this.slots = new FeatureSlots(Object.keys(weights));
    }
    this.weights = this.slots.names.map((name) => weights[name] ?? 0);
    this.intercept = restored?.intercept ?? 0;
  }

  predict(x: Features): number {
    return this.dot(this.read(x, false));
  }

  learn(x: Features, y: number): void {
    const n = this.read(x, true);
    const input = this.input;
    const lossGradient = clamp(2 * (this.dot(n) - y), CLIP_GRADIENT);
    this.intercept -= INTERCEPT_LEARNING_RATE * lossGradient;
    const { learningRate, l2 } = this.settings;
    const weights = this.weights;
    for (let i = 0; i < n; i++) {
      const weight = weights[i] as number;
      weights[i] = weight - learningRate * ((input[i] as number) * lossGradient + l2 * weight);
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

  state(): LinearRegressionState {
    const weights: Record<string, number> = {};
    this.slots.names.forEach((name, slot) => {
      weights[name] = this.weights[slot] ?? 0;
    });
    return { weights, intercept: this.intercept, ...(this.scaler ? { scaler: this.scaler.state() } : {}) };
  }

  /** Reads x into `input` (standardised when so configured); returns the slot count. */
  private read(x: Features, learning: boolean): number {
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

  private dot(n: number): number {
    let sum = 0;
    const weights = this.weights;
    const input = this.input;
    for (let i = 0; i < n; i++) sum += (weights[i] as number) * (input[i] as number);
    return sum + this.intercept;
  }
}

function clamp(value: number, limit: number): number {
  return Math.min(limit, Math.max(-limit, value));
}
