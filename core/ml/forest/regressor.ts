import { RandomForestInputError } from './errors.js';
import { checkFeatureNames } from './feature-names.js';
import { type ForestModel, fitForest } from './fit.js';
import { predictFlat } from './flat-forest.js';
import { modelFromJson, modelToJson, type RandomForestModelJson } from './model-format.js';
import { type RegressorOptions, resolveParams } from './options.js';
import { encodeRegressionTargets, type FeatureMatrix, validateFeatures } from './validate.js';

/** Random-forest regressor: the prediction is the mean of the trees' leaf means (squared-error splits). */
export class RandomForestRegressor {
  private model: ForestModel | null = null;

  constructor(private readonly options: RegressorOptions = {}) {
    resolveParams(options, 'regression');
  }

  fit(features: FeatureMatrix, targets: readonly number[]): this {
    const params = resolveParams(this.options, 'regression');
    const width = validateFeatures(features);
    const target = encodeRegressionTargets(targets, features.length);
    const names = checkFeatureNames(this.options.featureNames, width);
    this.model = fitForest(features, width, { kind: 'regression', target }, params, names);
    return this;
  }

  predict(features: FeatureMatrix): number[] {
    const model = this.fitted();
    validateFeatures(features, model.nFeatures);
    return Array.from(predictFlat(model.forest, features));
  }

  /** Impurity-based (variance reduction) importances, normalised to sum to 1. */
  get featureImportances(): number[] {
    return [...this.fitted().featureImportances];
  }

  /** Out-of-bag R² when fitted with `oobScore: true`, else null. */
  get oobScore(): number | null {
    return this.fitted().oobScore;
  }

  get nFeatures(): number {
    return this.fitted().nFeatures;
  }

  get nTrees(): number {
    return this.fitted().forest.treeOffsets.length - 1;
  }

  toJSON(): RandomForestModelJson {
    return modelToJson(this.fitted());
  }

  static fromJSON(json: RandomForestModelJson | string): RandomForestRegressor {
    const model = modelFromJson(json);
    if (model.task !== 'regression') {
      throw new RandomForestInputError(`model task is ${model.task}; use RandomForestClassifier.fromJSON`);
    }
    const regressor = new RandomForestRegressor();
    regressor.model = model;
    return regressor;
  }

  private fitted(): ForestModel {
    if (!this.model)
      throw new RandomForestInputError('the regressor is not fitted; call fit() or fromJSON() first');
    return this.model;
  }
}
