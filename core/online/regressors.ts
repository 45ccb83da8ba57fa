import { configFields, hoeffdingTreeFields, sgdLinearFields } from './config-fields.js';
import { checkLearned, DriftReset, type LearningModel } from './drift/drift-reset.js';
import { LinearRegression, type LinearRegressionState } from './linear/linear-regression.js';
import { HoeffdingTreeRegressor, type HoeffdingTreeRegressorState } from './tree/hoeffding-tree-regressor.js';
import type { Features, OnlineRegressor, RegressorConfig, RegressorState } from './types.js';

/**
 * River's defaults for each model. As for the classifiers, River's Hoeffding tree has no depth
 * limit (`max_depth=None`); a configuration is JSON, so the default is a depth of 50.
 */
export const defaultRegressorConfigs = {
  'linear-regression': { model: 'linear-regression', learningRate: 0.01, l2: 0, standardize: true },
  'hoeffding-tree': {
    model: 'hoeffding-tree',
    gracePeriod: 200,
    delta: 1e-7,
    tau: 0.05,
    maxDepth: 50,
    leafPrediction: 'adaptive',
  },
} as const satisfies { [M in RegressorConfig['model']]: Extract<RegressorConfig, { model: M }> };

/** What every model here does, apart from drift and bookkeeping. */
interface RegressorModel extends LearningModel<number> {
  predict(x: Features): number;
}

export function createRegressor(config: RegressorConfig): OnlineRegressor {
  return new DriftingRegressor(parseRegressorConfig(config));
}

/** The model `state` describes, predicting and learning exactly as the one that wrote it. */
export function restoreRegressor(state: RegressorState): OnlineRegressor {
  if (typeof state !== 'object' || state === null) throw new Error('regressor state must be an object');
  const config = parseRegressorConfig(state.config);
  checkLearned('regressor', state);
  if (typeof state.data !== 'object' || state.data === null) {
    throw new Error(`regressor state (${config.model}): data must be the model's state object`);
  }
  return new DriftingRegressor(config, state);
}

function newModel(config: RegressorConfig, data?: unknown): RegressorModel {
  if (config.model === 'linear-regression') {
    const model = new LinearRegression(config, data as LinearRegressionState | undefined);
    return {
      predict: (x) => model.predict(x),
      learn: (x, y) => model.learn(x, y),
      importance: () => model.importance(),
      data: () => model.state(),
    };
  }
  const tree = data
    ? HoeffdingTreeRegressor.restore(config, data as HoeffdingTreeRegressorState)
    : new HoeffdingTreeRegressor(config);
  return {
    predict: (x) => tree.predict(x),
    learn: (x, y) => tree.learn(x, y),
    importance: () => tree.importance(),
    data: () => tree.state(),
  };
}

/** A regressor with drift resets when configured (see `DriftReset`); ADWIN watches |y − ŷ|. */
class DriftingRegressor
  extends DriftReset<RegressorConfig, number, RegressorModel>
  implements OnlineRegressor
{
  readonly task = 'regression';

  constructor(config: RegressorConfig, restored?: RegressorState) {
    super('regressor', config, newModel, restored);
  }

  predict(x: Features): number {
    return this.model.predict(x);
  }

  learn(x: Features, y: number): void {
    if (typeof y !== 'number' || !Number.isFinite(y))
      throw new Error(`target must be a finite number, got ${String(y)}`);
    this.learnChecked(x, y);
  }

  protected errorOf(x: Features, y: number): number {
    return Math.abs(y - this.model.predict(x));
  }
}

const LEAF_PREDICTIONS = ['mean', 'model', 'adaptive'] as const;

/**
 * A regressor configuration from untrusted JSON: fields left out take River's defaults (see
 * `defaultRegressorConfigs`); unknown models, unknown fields and out-of-range values are refused
 * with an Error that names the field, the value and what was expected.
 */
export function parseRegressorConfig(value: unknown): RegressorConfig {
  const fields = configFields(value, 'regressor', defaultRegressorConfigs);
  if (fields.model === 'linear-regression') {
    return { model: fields.model, ...sgdLinearFields(fields), ...fields.withDrift };
  }
  return { model: fields.model, ...hoeffdingTreeFields(fields, LEAF_PREDICTIONS), ...fields.withDrift };
}
