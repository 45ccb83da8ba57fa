import { defaultClassifierConfigs } from '../../../core/online/classifiers.js';
import { defaultRegressorConfigs } from '../../../core/online/regressors.js';
import type { ClassifierConfig, RegressorConfig } from '../../../core/online/types.js';

/**
 * Which models learn the stream, with which hyper-parameters, and the window of the rolling
 * metrics: configuration, not code. A checkpoint whose model configuration differs from these
 * starts a new model (generation + 1) at the next batch; the ticks it already learned stay
 * learned (the new model starts from the next record, it does not replay the stream).
 */
export interface OnlineSettings {
  readonly classification: ClassifierConfig;
  readonly regression: RegressorConfig;
  /** Records the rolling metrics look back over. */
  readonly window: number;
}

/** River's defaults where River has one, so the bench compares like with like. */
const adwin = { detector: 'adwin', delta: 0.002 } as const;

export const onlineSettings: OnlineSettings = {
  classification: { ...defaultClassifierConfigs['hoeffding-tree'], drift: adwin },
  regression: { ...defaultRegressorConfigs['linear-regression'], drift: adwin },
  window: 500,
};
