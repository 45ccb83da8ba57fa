import type { ClassificationMetrics, RegressionMetrics } from '../../../core/online/types.js';

/**
 * One result per record learned: what the learner stores and the API and dashboard read. Types
 * and their field lists, importing nothing at run time, so the browser bundle can import the
 * types (erased) without pulling in the learner's code.
 */

interface ResultBase {
  tick: number;
  /** When the source produced the record (ISO-8601 UTC). */
  time: string;
  /** When the learner learned it (one time per batch). */
  learnedAt: string;
  /** Records this model generation has learned, this one included. */
  learned: number;
  /** How many times drift detection has reset the model. */
  driftResets: number;
  /** The configured model, e.g. `hoeffding-tree`. */
  modelName: string;
}
export interface ClassificationResult extends ResultBase {
  model: 'classification';
  truth: 0 | 1;
  /** P(y = 1) before learning the record. */
  probability: number;
  prediction: 0 | 1;
  metrics: ClassificationMetrics;
}
export interface RegressionResult extends ResultBase {
  model: 'regression';
  truth: number;
  prediction: number;
  metrics: RegressionMetrics;
}
export type OnlineResult = ClassificationResult | RegressionResult;
/** The result of one model, by its name (`classification` or `regression`). */
export type ResultOf<M extends OnlineResult['model']> = Extract<OnlineResult, { model: M }>;

type ModelName = OnlineResult['model'];

/**
 * Every field of a result, in the order the learner builds it: the API's required fields, and the
 * order a result read back from Parquet is rebuilt in so it stringifies alike.
 */
export const RESULT_FIELDS: { readonly [M in ModelName]: readonly (keyof ResultOf<M>)[] } = {
  classification: [
    'model',
    'tick',
    'time',
    'learnedAt',
    'truth',
    'probability',
    'prediction',
    'metrics',
    'learned',
    'driftResets',
    'modelName',
  ],
  regression: [
    'model',
    'tick',
    'time',
    'learnedAt',
    'truth',
    'prediction',
    'metrics',
    'learned',
    'driftResets',
    'modelName',
  ],
};

/** Every rolling metric of a result, in the order the metrics build them. */
export const METRIC_FIELDS: { readonly [M in ModelName]: readonly (keyof ResultOf<M>['metrics'])[] } = {
  classification: ['count', 'accuracy', 'f1', 'logLoss', 'rocAuc'],
  regression: ['count', 'mae', 'rmse', 'r2'],
};
