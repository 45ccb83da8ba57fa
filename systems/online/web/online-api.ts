/**
 * What the dashboard reads from the online system's REST API (`/api/online/…`, the same origin
 * locally and behind CloudFront). Types only, the page's reading of the API's answers; the API
 * itself is systems/online/handlers/api.ts. The results are the learner's own types.
 */

import type { ResultOf } from '../model/result-types';

export type { ClassificationResult, OnlineResult, RegressionResult, ResultOf } from '../model/result-types';

export type ModelKey = 'classification' | 'regression';
export const MODEL_KEYS: readonly ModelKey[] = ['classification', 'regression'];

/** `GET /history?model=…&since=…` */
export interface HistoryView<M extends ModelKey = ModelKey> {
  items: ResultOf<M>[];
}

/** One model in `GET /metrics`: its latest rolling metrics and counters (nulls before it learned anything). */
export interface ModelMetricsView {
  modelName: string;
  /** The configured model and its hyper-parameters. */
  settings: Record<string, unknown>;
  learned: number | null;
  driftResets: number | null;
  metrics: Record<string, number | null> | null;
  /** The latest tick it learned. */
  tick: number | null;
  time: string | null;
  learnedAt: string | null;
}

/** `GET /metrics`: both models, and the window their rolling metrics look back over. */
export interface MetricsView {
  window: number;
  models: Record<ModelKey, ModelMetricsView>;
}
