import { RandomForestInputError } from './errors.js';
import { checkFeatureNames } from './feature-names.js';
import { fitForest } from './fit.js';
import { FittedForest } from './fitted-forest.js';
import { predictFlat } from './flat-forest.js';
import { modelFromJson, type RandomForestModelJson } from './model-format.js';
import { type RegressorOptions, resolveParams } from './options.js';
import { encodeRegressionTargets, type FeatureMatrix, validateFeatures } from './validate.js';

/** Random-forest regressor: the prediction is the mean of the trees' leaf means (squared-error splits). */
export class RandomForestRegressor extends FittedForest {
  protected override readonly kind = 'regressor';

  constructor(private readonly options: RegressorOptions = {}) {
    super();
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

  static fromJSON(json: RandomForestModelJson | string): RandomForestRegressor {
    const model = modelFromJson(json);
    if (model.task !== 'regression') {
      throw new RandomForestInputError(`model task is ${model.task}; use RandomForestClassifier.fromJSON`);
    }
    const regressor = new RandomForestRegressor();
    regressor.model = model;
    return regressor;
  }
}
