import type { ModelScore } from './promotion-rule.js';

/**
 * What a system supplies so the shared lifecycle can train, compare and store its models (the
 * shape of an MLflow flavor: the registry and the promotion step know only this contract).
 * `TData` is whatever the system evaluates on (a training window and its holdout, a matrix of
 * feature rows); `TModel` is the fitted model in memory.
 */
export interface ModelAdapter<TData, TModel> {
  /** The model family, recorded with every version (`sarimax`, `kmeans`). */
  readonly kind: string;
  /** Trains a challenger; the champion is given so a family that warm-starts can use it. */
  fit(data: TData, options: { champion?: TModel }): Promise<FitResult<TModel>>;
  /**
   * The champion made comparable with the challenger on `data`, when the family needs that (a
   * SARIMAX champion's order is refitted on the same window). Left out: the champion as it is.
   */
  refitChampion?(champion: TModel, data: TData): Promise<FitResult<TModel>>;
  /** Scores a model on the evaluation data; both sides are scored by this one function. */
  score(model: TModel, data: TData): ModelScore;
  /** The model to serve once the challenger is chosen (refitted on the whole window). @default the challenger */
  finalize?(challenger: TModel, data: TData): Promise<TModel>;
  /** Parameters recorded with the version (orders, k, options). */
  describe(model: TModel): Record<string, unknown>;
  serialize(model: TModel): unknown;
  /** Throws when the artifact is not a model of this family. */
  deserialize(artifact: unknown): TModel;
}

export type FitResult<TModel> =
  | { ok: true; model: TModel }
  /** `details` is kept in the run's record (the attempts a fit made). */
  | { ok: false; reason: string; details?: Record<string, unknown> };
