import { FeatureSlots } from '../preprocessing/feature-slots.js';
import { StandardScaler, type StandardScalerState } from '../preprocessing/standard-scaler.js';
import type { Features } from '../types.js';

export interface LogisticRegressionSettings {
  /** SGD step for the weights and the intercept (River: SGD(0.01), intercept_lr 0.01). */
  readonly learningRate: number;
  /** L2 penalty on the weights, not the intercept. */
  readonly l2: number;
  /** A StandardScaler in front (River: `StandardScaler() | LogisticRegression()`). */
  readonly standardize: boolean;
}

export interface LogisticRegressionData {
  readonly weights: Record<string, number>;
  readonly intercept: number;
  readonly scaler?: StandardScalerState;
}

/** River's `clip_gradient` default: the loss gradient is clamped to ±1e12 before the step. */
const CLIP_GRADIENT = 1e12;

/**
 * Logistic regression by plain SGD on the log loss, River's `linear_model.LogisticRegression`
 * step for step: the loss gradient −y±/(1 + e^(y±·z)) (y± = ±1, with River's cut-offs at |z| > 18)
 * is clamped, the intercept moves by the step times it, each weight of a feature present in the
 * record by the step times (x·gradient + l2·w), all computed from the weights before the step.
 * With `standardize`, the scaler learns each record first and the model sees its transform, as
 * River's pipeline does in `learn_one` (its `predict_one` transforms without learning).
 *
 * Records are read into arrays by feature slot (the scaler's slots when standardising), so the
 * hot loops run over plain arrays and allocate nothing. A feature missing from a record neither
 * votes nor moves its weight, as in River; records with every feature take the fast path.
 */
export class LogisticRegression {
  private readonly slots: FeatureSlots;
  private readonly weights: number[];
  private intercept: number;
  private readonly scaler: StandardScaler | undefined;
  /** Reused per record: the raw values by slot, and what the model sees. */
  private readonly raw: number[] = [];
  private readonly input: number[] = [];
  /**
   * Whether the last record read had every slot, in slot order (the common case); when not,
   * `order` holds its slots in its own name order, the order the sums run in, as River's do.
   */
  private complete = true;
  private readonly order: number[] = [];
  private orderLength = 0;
  /** The record `raw` holds, when it is the last one predicted (prequential: predict, then learn). */
  private rawOf: Features | undefined;

  constructor(
    private readonly settings: LogisticRegressionSettings,
    data?: LogisticRegressionData,
  ) {
    const weights = data?.weights ?? {};
    if (settings.standardize) {
      this.scaler = data?.scaler ? StandardScaler.restore(data.scaler) : new StandardScaler();
      this.slots = this.scaler.slots;
    } else {
      this.slots = new FeatureSlots(Object.keys(weights));
    }
    this.weights = this.slots.names.map((name) => weights[name] ?? 0);
    this.intercept = data?.intercept ?? 0;
  }

  predictProbability(x: Features): number {
    return sigmoid(this.logit(this.read(x, false)));
  }

  learn(x: Features, y: 0 | 1): void {
    const n = this.read(x, true);
    const g = clamp(logLossGradient(y, this.logit(n)), CLIP_GRADIENT);
    const { learningRate, l2 } = this.settings;
    this.intercept -= learningRate * g;
    const weights = this.weights;
    const input = this.input;
    if (this.complete) {
      for (let i = 0; i < n; i++) {
        const w = weights[i] as number;
        weights[i] = w - learningRate * ((input[i] as number) * g + l2 * w);
      }
      return;
    }
    const order = this.order;
    for (let k = 0; k < this.orderLength; k++) {
      const i = order[k] as number;
      const w = weights[i] as number;
      weights[i] = w - learningRate * ((input[i] as number) * g + l2 * w);
    }
  }

  /** |weight| per feature, on the standardised scale when standardising (so they compare). */
  importance(): Record<string, number> {
    const out: Record<string, number> = {};
    this.slots.names.forEach((name, slot) => {
      out[name] = Math.abs(this.weights[slot] ?? 0);
    });
    return out;
  }

  data(): LogisticRegressionData {
    const weights: Record<string, number> = {};
    this.slots.names.forEach((name, slot) => {
      weights[name] = this.weights[slot] ?? 0;
    });
    return { weights, intercept: this.intercept, ...(this.scaler ? { scaler: this.scaler.state() } : {}) };
  }

  /**
   * Reads x into `input` (standardised when so configured) and notes which slots x has, in which
   * order; returns the slot count. The scaler learns a missing feature as 0, as its by-name `learn` does.
   */
  private read(x: Features, learning: boolean): number {
    // Records are read-only values: the same object as the last prediction needs no second read.
    let n: number;
    if (x === this.rawOf) {
      n = this.slots.size;
    } else {
      n = this.slots.read(x, this.raw);
      this.noteOrder(x, n);
    }
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

  private noteOrder(x: Features, n: number): void {
    const names = this.slots.names;
    let count = 0;
    let inOrder = true;
    for (const name in x) {
      if (names[count] !== name) inOrder = false;
      count++;
    }
    this.complete = inOrder && count === n;
    if (this.complete) return;
    const order = this.order;
    let k = 0;
    for (const name in x) order[k++] = this.slots.slotOf(name) as number;
    this.orderLength = k;
  }

  private logit(n: number): number {
    const weights = this.weights;
    const input = this.input;
    let z = 0;
    if (this.complete) {
      for (let i = 0; i < n; i++) z += (weights[i] as number) * (input[i] as number);
    } else {
      const order = this.order;
      for (let k = 0; k < this.orderLength; k++) {
        const i = order[k] as number;
        z += (weights[i] as number) * (input[i] as number);
      }
    }
    return z + this.intercept;
  }
}

/** River's `utils.math.sigmoid`: exactly 0 or 1 beyond ±30. */
function sigmoid(z: number): number {
  if (z < -30) return 0;
  if (z > 30) return 1;
  return 1 / (1 + Math.exp(-z));
}

/** River's `optim.losses.Log.gradient` with respect to the logit. */
function logLossGradient(y: 0 | 1, z: number): number {
  const sign = y === 1 ? 1 : -1;
  const m = z * sign;
  if (m > 18) return Math.exp(-m) * -sign;
  if (m < -18) return -sign;
  return -sign / (Math.exp(m) + 1);
}

function clamp(value: number, limit: number): number {
  return Math.min(Math.max(value, -limit), limit);
}
