/**
 * The online-learning contract: models that predict one record, then learn it (River's
 * `predict_one` / `learn_one`), with their whole state as plain JSON so a checkpoint in S3 can
 * carry them between invocations. Pure: no SDK, no I/O, no clock, no randomness without a seed.
 */

/** One record's features by name. Missing names read as 0 where a model needs a number. */
export type Features = Readonly<Record<string, number>>;

/** A binary classifier: the class is 0 or 1; the prediction is P(class = 1). */
export interface OnlineClassifier {
  readonly task: 'classification';
  /** P(y = 1 | x), in [0, 1]; before any learning, 0.5 (or the prior the model keeps). */
  predictProbability(x: Features): number;
  learn(x: Features, y: 0 | 1): void;
  /** What the model holds, restorable with `restoreClassifier` (JSON-safe: no NaN, no Infinity). */
  state(): ClassifierState;
  /** How much each feature matters: |weight| of a linear model, split gain of a tree, by name. */
  importance(): Record<string, number>;
}

/** A regressor of one real target. */
export interface OnlineRegressor {
  readonly task: 'regression';
  /** The prediction; before any learning, 0 (or the running mean the model keeps). */
  predict(x: Features): number;
  learn(x: Features, y: number): void;
  state(): RegressorState;
  importance(): Record<string, number>;
}

/** Drift handling shared by both tasks: ADWIN on the model's own loss; a change resets the model. */
export interface DriftSettings {
  readonly detector: 'adwin';
  /** ADWIN's confidence (River's default 0.002): smaller is slower to cry change. */
  readonly delta: number;
}

/** The SGD linear models' hyper-parameters (logistic and linear regression take the same). */
export interface SgdLinearConfig {
  /** SGD step (River's default optimizer: SGD 0.01). */
  readonly learningRate: number;
  /** L2 penalty on the weights (not the intercept). */
  readonly l2: number;
  /** A StandardScaler in front (River: `StandardScaler() | <model>()`). */
  readonly standardize: boolean;
}

/**
 * The Hoeffding trees' hyper-parameters (River's names in the comments); only the leaf
 * predictions differ between the tasks.
 */
export interface HoeffdingTreeConfig<LeafPrediction extends string> {
  /** `grace_period`: records a leaf sees between split attempts (River: 200). */
  readonly gracePeriod: number;
  /** `delta`: split confidence, the split decision's allowed error probability (River: 1e-7). */
  readonly delta: number;
  /** `tau`: split anyway when the bound is below this, the candidates being tied (River: 0.05). */
  readonly tau: number;
  /** `max_depth`: leaves at this depth stop splitting. */
  readonly maxDepth: number;
  /** `leaf_prediction`. */
  readonly leafPrediction: LeafPrediction;
}

export type ClassifierConfig =
  | ({ readonly model: 'logistic-regression'; readonly drift?: DriftSettings } & SgdLinearConfig)
  | { readonly model: 'gaussian-nb'; readonly drift?: DriftSettings }
  /** Leaf prediction: majority class, naive Bayes, or adaptive (River's default 'nba'). */
  | ({ readonly model: 'hoeffding-tree'; readonly drift?: DriftSettings } & HoeffdingTreeConfig<
      'mc' | 'nb' | 'nba'
    >);

export type RegressorConfig =
  | ({ readonly model: 'linear-regression'; readonly drift?: DriftSettings } & SgdLinearConfig)
  /** Leaf model: the mean, a linear model, or adaptive (River's default 'adaptive'). */
  | ({ readonly model: 'hoeffding-tree'; readonly drift?: DriftSettings } & HoeffdingTreeConfig<
      'mean' | 'model' | 'adaptive'
    >);

/** A model's state: its configuration, the features it has seen, and model-specific data. */
export interface ModelState<Config> {
  readonly config: Config;
  /** How many records it learned since it was created or last reset by drift. */
  readonly learned: number;
  /** Drift detector state, when the configuration has one; and how many resets it caused. */
  readonly drift?: { readonly detector: unknown; readonly resets: number; readonly lastResetAt?: number };
  readonly data: unknown;
}
export type ClassifierState = ModelState<ClassifierConfig>;
export type RegressorState = ModelState<RegressorConfig>;

/** Rolling prequential metrics over the last `window` records. */
export interface ClassificationMetrics {
  readonly count: number;
  readonly accuracy: number | null;
  readonly f1: number | null;
  readonly logLoss: number | null;
  readonly rocAuc: number | null;
}
export interface RegressionMetrics {
  readonly count: number;
  readonly mae: number | null;
  readonly rmse: number | null;
  readonly r2: number | null;
}
