import type { Features, SgdLinearConfig } from '../types.js';
import { CLIP_GRADIENT, clamp, SgdLinear, type SgdLinearState } from './sgd-linear.js';

/** `learningRate` is the step for the weights and the intercept (River: SGD(0.01), intercept_lr 0.01). */
export type LogisticRegressionSettings = SgdLinearConfig;

export type LogisticRegressionData = SgdLinearState;

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
 * votes nor moves its weight, as in River (unlike linear regression, which reads it as 0); records
 * with every feature take the shared dense path.
 */
export class LogisticRegression {
  private readonly linear: SgdLinear;
  /**
   * Whether the last record read had every slot, in slot order (the common case); when not,
   * `order` holds its slots in its own name order, the order the sums run in, as River's do.
   */
  private complete = true;
  private readonly order: number[] = [];
  private orderLength = 0;

  constructor(
    private readonly settings: LogisticRegressionSettings,
    data?: LogisticRegressionData,
  ) {
    this.linear = new SgdLinear(settings.standardize, data, false);
  }

  predictProbability(x: Features): number {
    return sigmoid(this.logit(this.read(x, false)));
  }

  learn(x: Features, y: 0 | 1): void {
    const n = this.read(x, true);
    const g = clamp(logLossGradient(y, this.logit(n)), CLIP_GRADIENT);
    const linear = this.linear;
    const { learningRate, l2 } = this.settings;
    linear.intercept -= learningRate * g;
    if (this.complete) {
      linear.stepWeights(n, g, this.settings);
      return;
    }
    const weights = linear.weights;
    const input = linear.input;
    const order = this.order;
    for (let k = 0; k < this.orderLength; k++) {
      const i = order[k] as number;
      const w = weights[i] as number;
      weights[i] = w - learningRate * ((input[i] as number) * g + l2 * w);
    }
  }

  /** |weight| per feature, on the standardised scale when standardising (so they compare). */
  importance(): Record<string, number> {
    return this.linear.importance();
  }

  data(): LogisticRegressionData {
    return this.linear.state();
  }

  /**
   * Reads x into the shared `input` and notes which slots x has, in which order; returns the slot
   * count. The scaler learns a missing feature as 0, as its by-name `learn` does.
   */
  private read(x: Features, learning: boolean): number {
    // The record the last prediction read still has its order noted.
    const fresh = !this.linear.holds(x);
    const n = this.linear.read(x, learning);
    if (fresh) this.noteOrder(x, n);
    return n;
  }

  private noteOrder(x: Features, n: number): void {
    const slots = this.linear.slots;
    const names = slots.names;
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
    for (const name in x) order[k++] = slots.slotOf(name) as number;
    this.orderLength = k;
  }

  private logit(n: number): number {
    if (this.complete) return this.linear.dot(n);
    const weights = this.linear.weights;
    const input = this.linear.input;
    const order = this.order;
    let z = 0;
    for (let k = 0; k < this.orderLength; k++) {
      const i = order[k] as number;
      z += (weights[i] as number) * (input[i] as number);
    }
    return z + this.linear.intercept;
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
