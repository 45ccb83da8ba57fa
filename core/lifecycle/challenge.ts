import type { ModelRegistry } from '../registry/model-registry.js';
import type { TrainingObject } from '../registry/types.js';
import type { FitResult, ModelAdapter } from './model-adapter.js';
import type { FailedScore, ModelScore, PromotionRule } from './promotion-rule.js';

/** A registered challenger and the champion it must beat, scored on the same data. */
export interface ChallengeResult {
  readonly pipeline: string;
  readonly model: string;
  readonly runId: string;
  readonly challenger: ModelScore & { readonly version: string };
  /** Absent when there was no champion. */
  readonly champion?: (ModelScore | FailedScore) & { readonly version: string };
  /** The rule the promotion step applies; it travels with the scores it was meant for. */
  readonly rule: PromotionRule;
}

export interface ChallengeInput<TData, TModel> {
  readonly adapter: ModelAdapter<TData, TModel>;
  readonly registry: ModelRegistry;
  readonly data: TData;
  readonly rule: PromotionRule;
  readonly runId: string;
  /** What the version was trained on, and by which code. */
  readonly registration: {
    readonly trainedOn: TrainingObject[];
    readonly codeVersion: string;
    /** Recorded besides the adapter's own description (window, holdout, search settings). */
    readonly parameters?: Record<string, unknown>;
  };
  readonly now?: () => Date;
}

export type ChallengeOutcome<TModel> =
  | {
      readonly ok: true;
      readonly result: ChallengeResult;
      /** The served model and the scored challenger, for reports. */
      readonly served: TModel;
      readonly challenger: TModel;
      readonly championModel?: TModel;
    }
  | { readonly ok: false; readonly reason: string; readonly details?: Record<string, unknown> };

/**
 * Fits a challenger, scores it and the current champion on the same data with the system's
 * adapter, and registers the model to serve. Promotion is a separate step (the promote
 * function), so a crash between the two leaves a registered version and an unchanged champion.
 */
export async function runChallenge<TData, TModel>(
  input: ChallengeInput<TData, TModel>,
): Promise<ChallengeOutcome<TModel>> {
  const { adapter, registry, data } = input;
  const now = input.now ?? (() => new Date());
  const startedAt = now().toISOString();
  const current = await registry.loadChampion();
  const champion = current ? adapter.deserialize(current.model.artifact) : undefined;

  const fitted = await adapter.fit(data, champion === undefined ? {} : { champion });
  if (!fitted.ok) return fitted;
  const challengerScore = adapter.score(fitted.model, data);

  let championScore: ChallengeResult['champion'];
  let championModel: TModel | undefined;
  if (current && champion !== undefined) {
    const comparable: FitResult<TModel> = adapter.refitChampion
      ? await adapter.refitChampion(champion, data)
      : { ok: true, model: champion };
    if (comparable.ok) {
      championModel = comparable.model;
      championScore = { version: current.pointer.version, ...adapter.score(comparable.model, data) };
    } else championScore = { version: current.pointer.version, failed: comparable.reason };
  }

  const served = adapter.finalize ? await adapter.finalize(fitted.model, data) : fitted.model;
  const registered = await registry.register({
    artifact: adapter.serialize(served),
    parameters: { kind: adapter.kind, ...adapter.describe(served), ...input.registration.parameters },
    metrics: finiteMetrics(challengerScore.metrics),
    trainedOn: input.registration.trainedOn,
    codeVersion: input.registration.codeVersion,
    training: { startedAt, finishedAt: now().toISOString() },
  });
  return {
    ok: true,
    served,
    challenger: fitted.model,
    ...(championModel === undefined ? {} : { championModel }),
    result: {
      pipeline: registry.pipeline,
      model: registry.model,
      runId: input.runId,
      challenger: { version: registered.version, ...challengerScore },
      ...(championScore ? { champion: championScore } : {}),
      rule: input.rule,
    },
  };
}

/** The registry keeps numbers only: a metric that could not be computed is left out. */
function finiteMetrics(metrics: Readonly<Record<string, number | null>>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(metrics).filter((entry): entry is [string, number] => Number.isFinite(entry[1])),
  );
}
