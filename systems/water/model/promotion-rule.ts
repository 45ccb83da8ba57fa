import type { PromotionRule } from '../../../core/lifecycle/index.js';

/**
 * Water's champion/challenger rule as people write it in the state machine input
 * (`"rule": {"minRelativeImprovement": 0.01, "requireAicNotWorse": true}`). Both models are
 * judged on the same data: the champion's order refitted on the challenger's training window (so
 * AICs compare) and both forecasting the same held-out recent window.
 */
export interface WaterRuleFields {
  /** The challenger's holdout MAE must beat the champion's by at least this share (0.01 = 1%). */
  minRelativeImprovement: number;
  /** Also require the challenger's AIC (same window) to be no worse than the champion refit's. */
  requireAicNotWorse: boolean;
}

export const defaultWaterRule: WaterRuleFields = { minRelativeImprovement: 0.01, requireAicNotWorse: true };

/** The same rule in the lifecycle's terms, on the metrics the SARIMAX adapter scores. */
export function waterPromotionRule(fields: WaterRuleFields): PromotionRule {
  return {
    metric: 'holdoutMae',
    better: 'lower',
    margin: { kind: 'relative', value: fields.minRelativeImprovement },
    notWorse: fields.requireAicNotWorse ? [{ metric: 'aic', better: 'lower' }] : [],
  };
}
