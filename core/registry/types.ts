/** What the registry stores and returns. The artifact itself is opaque JSON (`unknown`). */

/** A raw object a model was trained on, pinned by its ETag so the exact bytes can be found again. */
export interface TrainingObject {
  key: string;
  etag: string;
}

/** What the caller knows about a trained model when it registers it. */
export interface RegisterInput {
  artifact: unknown;
  /** Hyper-parameters and settings of the fit (orders, window, options). */
  parameters: Record<string, unknown>;
  /** Holdout scores and fit statistics. */
  metrics: Record<string, number>;
  trainedOn: TrainingObject[];
  /** Commit or build id of the code that trained it. */
  codeVersion: string;
  /** ISO-8601 times of the training run, when known. */
  training?: { startedAt: string; finishedAt: string };
}

/** `versions/<version>/metadata.json`. Written last; its presence makes the version complete. */
export interface ModelMetadata {
  pipeline: string;
  model: string;
  version: string;
  registeredAt: string;
  parameters: Record<string, unknown>;
  metrics: Record<string, number>;
  trainedOn: TrainingObject[];
  codeVersion: string;
  training?: { startedAt: string; finishedAt: string };
  /** How to check that `model.json` is the file this metadata describes. */
  artifact: { file: 'model.json'; sha256: string; bytes: number };
}

export interface ModelVersion {
  version: string;
  artifact: unknown;
  metadata: ModelMetadata;
}

export type ChampionAction = 'promote' | 'rollback';

/** `champion.json`: the single authority on which version is champion. */
export interface ChampionPointer {
  version: string;
  /** Strictly increasing per pipeline (history keys derive from it, so they never collide). */
  promotedAt: string;
  reason: string;
  action: ChampionAction;
  /** The champion a rollback returns to; null when there is none. */
  previous: string | null;
  /** The champion this change replaced; null for the first champion. */
  replaced: string | null;
}

/** `history/<time>-<version>.json`: the pointer exactly as it was written. */
export interface HistoryEntry extends ChampionPointer {
  pipeline: string;
  model: string;
}

export type PromotionResult =
  | { promoted: true; champion: ChampionPointer; replaced: string | null }
  /** Not an error: another promotion won the race, or the version already is the champion. */
  | { promoted: false; reason: string; champion: ChampionPointer | undefined };
