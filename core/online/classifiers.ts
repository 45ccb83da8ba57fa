import { GaussianNB, type GaussianNBData } from './bayes/gaussian-nb.js';
import { configFields, hoeffdingTreeFields, sgdLinearFields } from './config-fields.js';
import { checkLearned, DriftReset, type LearningModel } from './drift/drift-reset.js';
import { LogisticRegression, type LogisticRegressionData } from './linear/logistic-regression.js';
import { predictedClass } from './metrics/classification-metrics.js';
import {
  HoeffdingTreeClassifier,
  type HoeffdingTreeClassifierData,
} from './tree/hoeffding-tree-classifier.js';
import type { ClassifierConfig, ClassifierState, Features, OnlineClassifier } from './types.js';

/**
 * River's defaults for each model. One departure: River's Hoeffding tree has no depth limit
 * (`max_depth=None`); a configuration is JSON, so the default is a depth of 50, which a tree that
 * waits 200 records per split attempt does not reach in practice.
 */
export const defaultClassifierConfigs = {
  'logistic-regression': { model: 'logistic-regression', learningRate: 0.01, l2: 0, standardize: true },
  'gaussian-nb': { model: 'gaussian-nb' },
  'hoeffding-tree': {
    model: 'hoeffding-tree',
    gracePeriod: 200,
    delta: 1e-7,
    tau: 0.05,
    maxDepth: 50,
    leafPrediction: 'nba',
  },
} as const satisfies { [M in ClassifierConfig['model']]: Extract<ClassifierConfig, { model: M }> };

/** What every model here does, apart from drift and bookkeeping. */
interface ClassifierModel extends LearningModel<0 | 1> {
  predictProbability(x: Features): number;
}

export function createClassifier(config: ClassifierConfig): OnlineClassifier {
  return new DriftingClassifier(parseClassifierConfig(config));
}

/** The model `state` describes, predicting and learning exactly as the one that wrote it. */
export function restoreClassifier(state: ClassifierState): OnlineClassifier {
  if (typeof state !== 'object' || state === null) throw new Error('classifier state must be an object');
  const config = parseClassifierConfig(state.config);
  checkLearned('classifier', state);
  return new DriftingClassifier(config, state);
}

function newModel(config: ClassifierConfig, data?: unknown): ClassifierModel {
  switch (config.model) {
    case 'logistic-regression':
      return new LogisticRegression(config, data as LogisticRegressionData | undefined);
    case 'gaussian-nb':
      return new GaussianNB(data as GaussianNBData | undefined);
    case 'hoeffding-tree':
      return new HoeffdingTreeClassifier(config, data as HoeffdingTreeClassifierData | undefined);
  }
}

/** A classifier with drift resets when configured (see `DriftReset`); ADWIN watches its 0/1 error. */
class DriftingClassifier
  extends DriftReset<ClassifierConfig, 0 | 1, ClassifierModel>
  implements OnlineClassifier
{
  readonly task = 'classification';

  constructor(config: ClassifierConfig, restored?: ClassifierState) {
    super('classifier', config, newModel, restored);
  }

  predictProbability(x: Features): number {
    return this.model.predictProbability(x);
  }

  learn(x: Features, y: 0 | 1): void {
    if (y !== 0 && y !== 1) throw new Error(`class must be 0 or 1, got ${String(y)}`);
    this.learnChecked(x, y);
  }

  protected errorOf(x: Features, y: 0 | 1): number {
    return predictedClass(this.model.predictProbability(x)) === y ? 0 : 1;
  }
}

const LEAF_PREDICTIONS = ['mc', 'nb', 'nba'] as const;

/**
 * A classifier configuration from untrusted JSON: fields left out take River's defaults (see
 * `defaultClassifierConfigs`); unknown models, unknown fields and out-of-range values are refused
 * with an Error that names the field, the value and what was expected.
 */
export function parseClassifierConfig(value: unknown): ClassifierConfig {
  const fields = configFields(value, 'classifier', defaultClassifierConfigs);
  switch (fields.model) {
    case 'logistic-regression':
      return { model: fields.model, ...sgdLinearFields(fields), ...fields.withDrift };
    case 'gaussian-nb':
      return { model: fields.model, ...fields.withDrift };
    case 'hoeffding-tree':
      return { model: fields.model, ...hoeffdingTreeFields(fields, LEAF_PREDICTIONS), ...fields.withDrift };
  }
}
