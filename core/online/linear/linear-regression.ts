import type { Features, SgdLinearConfig } from '../types.js';
import { CLIP_GRADIENT, clamp, SgdLinear, type SgdLinearState } from './sgd-linear.js';

/** Hyper-parameters of the SGD linear regression. */
export type LinearRegressionSettings = SgdLinearConfig;

/** Everything the model holds, as plain JSON. */
export type LinearRegressionState = SgdLinearState;

/** River's `intercept_lr` default: the intercept's own constant step, whatever the weights' step. */
const INTERCEPT_LEARNING_RATE = 0.01;

/**
 * Linear regression by plain SGD on the squared loss, River's `linear_model.LinearRegression`
 * step for step: the loss gradient 2·(ŷ − y) is clamped, the intercept moves by 0.01 times it,
 * each weight by the step times (x·gradient + l2·w). With `standardize`, a StandardScaler learns
 * each record first and the model sees its transform, as River's pipeline does in `learn_one`
 * (its `predict_one` transforms without learning). A feature missing from a record reads as 0
 * (River skips it, which differs only in that its weight then escapes the L2 shrinkage).
 */
export class LinearRegression {
  private readonly linear: SgdLinear;

  constructor(
    readonly settings: LinearRegressionSettings,
    restored?: LinearRegressionState,
  ) {
    this.linear = new SgdLinear(settings.standardize, restored, true);
  }

  predict(x: Features): number {
    return this.linear.dot(this.linear.read(x, false));
  }

  learn(x: Features, y: number): void {
    const linear = this.linear;
    const n = linear.read(x, true);
    const lossGradient = clamp(2 * (linear.dot(n) - y), CLIP_GRADIENT);
    linear.intercept -= INTERCEPT_LEARNING_RATE * lossGradient;
    linear.stepWeights(n, lossGradient, this.settings);
  }

  /** |weight| per feature (on the standardised scale when standardising, so they compare). */
  importance(): Record<string, number> {
    return this.linear.importance();
  }

  state(): LinearRegressionState {
    return this.linear.state();
  }
}
