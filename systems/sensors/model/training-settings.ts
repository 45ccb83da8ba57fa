import { InputError, intField, numberField } from '../../../core/data/input-fields.js';
import type { PromotionRule } from '../../../core/lifecycle/index.js';

/** The sensors-training input: the window, the range k is chosen from, and the promotion margin. */
export interface TrainingSettings {
  /** Trailing feature days the model is trained and scored on. @default 14 */
  readonly windowDays: number;
  /** @default 2 */
  readonly kMin: number;
  /** @default 6 */
  readonly kMax: number;
  /** How much lower the challenger's silhouette may be than the champion's and still win. @default 0.02 */
  readonly maxSilhouetteDrop: number;
}

export function parseTrainingSettings(input: Record<string, unknown>): TrainingSettings {
  const kMin = intField(input, 'kMin', 2, 2, 20);
  const kMax = intField(input, 'kMax', Math.max(6, kMin), 2, 20);
  if (kMax < kMin) throw new InputError(`kMax must be at least kMin (${kMin}), got ${kMax}`);
  return {
    windowDays: intField(input, 'windowDays', 14, 1, 365),
    kMin,
    kMax,
    maxSilhouetteDrop: numberField(input, 'maxSilhouetteDrop', 0.02, 0, 2),
  };
}

/**
 * Champion/challenger for clusterings: the silhouette on the same sensor-days decides, and the
 * challenger wins unless it is lower by more than `maxSilhouetteDrop`. Leaning towards the
 * challenger keeps the model following the fleet as it changes; the margin stops a clearly
 * worse clustering from replacing a good one.
 */
export function clusteringPromotionRule(maxSilhouetteDrop: number): PromotionRule {
  return { metric: 'silhouette', better: 'higher', margin: { kind: 'absolute', value: -maxSilhouetteDrop } };
}
