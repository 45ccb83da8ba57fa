/**
 * What the dashboard reads from the online system's REST API (`/api/online/…`, the same origin
 * locally and behind CloudFront). Types only, the page's reading of the API's answers; the API
 * itself is systems/online/handlers/api.ts.
 */

export type ModelKey = 'classification' | 'regression';
export const MODEL_KEYS: readonly ModelKey[] = ['classification', 'regression'];

interface ResultBase {
  tick: number;
  /** When the source produced the record (ISO-8601 UTC). */
  time: string;
  learnedAt: string;
  learned: number;
  driftResets: number;
  modelName: string;
}

export interface ClassificationResult extends ResultBase {
  model: 'classification';
  truth: 0 | 1;
  probability: number;
  prediction: 0 | 1;
  metrics: {
    count: number;
    accuracy: number | null;
    f1: number | null;
    logLoss: number | null;
    rocAuc: number | null;
  };
}

export interface RegressionResult extends ResultBase {
  model: 'regression';
  truth: number;
  prediction: number;
  metrics: { count: number; mae: number | null; rmse: number | null; r2: number | null };
}

export type OnlineResult = ClassificationResult | RegressionResult;
export type ResultOf<M extends ModelKey> = Extract<OnlineResult, { model: M }>;

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
