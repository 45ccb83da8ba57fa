import { RandomForestInputError } from './errors.js';
import { checkFeatureNames } from './feature-names.js';
import { fitForest } from './fit.js';
import { FittedForest } from './fitted-forest.js';
import { predictFlat } from './flat-forest.js';
import { modelFromJson, type RandomForestModelJson } from './model-format.js';
import { type ClassifierOptions, resolveParams } from './options.js';
import { type ClassLabel, encodeClassLabels, type FeatureMatrix, validateFeatures } from './validate.js';

/**
 * Random-forest classifier (binary or multi-class). Probabilities are the mean of the trees' leaf
 * class distributions, so they are graded scores suitable for ROC-AUC and log-loss.
 */
export class RandomForestClassifier extends FittedForest {
  protected override readonly kind = 'classifier';

  constructor(private readonly options: ClassifierOptions = {}) {
    super();
    resolveParams(options, 'classification');
  }

  fit(features: FeatureMatrix, labels: readonly ClassLabel[]): this {
    const params = resolveParams(this.options, 'classification');
    const width = validateFeatures(features);
    const { classes, classIndex } = encodeClassLabels(labels, features.length);
    const names = checkFeatureNames(this.options.featureNames, width);
    this.model = fitForest(features, width, { kind: 'classification', classes, classIndex }, params, names);
    return this;
  }

  /** Class probabilities, one row per input row, columns in the order of `classes`. */
  predictProba(features: FeatureMatrix): number[][] {
    const model = this.fitted();
    const flat = this.probabilities(features);
    const k = model.forest.valueWidth;
    const out: number[][] = new Array(features.length);
    for (let i = 0; i < features.length; i++) out[i] = Array.from(flat.subarray(i * k, (i + 1) * k));
    return out;
  }

  /** Probability of one class for every row (e.g. the churn score, P(label = 1)). */
  predictProbaOf(features: FeatureMatrix, label: ClassLabel): Float64Array {
    const model = this.fitted();
    const column = (model.classes ?? []).indexOf(label);
    if (column < 0) {
      throw new RandomForestInputError(
        `class ${JSON.stringify(label)} is not one of the model's classes (${(model.classes ?? []).join(', ')})`,
      );
    }
    const flat = this.probabilities(features);
    const k = model.forest.valueWidth;
    const out = new Float64Array(features.length);
    for (let i = 0; i < features.length; i++) out[i] = flat[i * k + column] as number;
    return out;
  }

  /** Most probable class per row; ties go to the class listed first in `classes`. */
  predict(features: FeatureMatrix): ClassLabel[] {
    const model = this.fitted();
    const classes = model.classes ?? [];
    const flat = this.probabilities(features);
    const k = model.forest.valueWidth;
    const out: ClassLabel[] = new Array(features.length);
    for (let i = 0; i < features.length; i++) {
      let best = 0;
      for (let c = 1; c < k; c++) if ((flat[i * k + c] as number) > (flat[i * k + best] as number)) best = c;
      out[i] = classes[best] as ClassLabel;
    }
    return out;
  }

  get classes(): ClassLabel[] {
    return [...(this.fitted().classes ?? [])];
  }

  /** Loads a model saved by toJSON (the object or its JSON text). */
  static fromJSON(json: RandomForestModelJson | string): RandomForestClassifier {
    const model = modelFromJson(json);
    if (model.task !== 'classification') {
      throw new RandomForestInputError(`model task is ${model.task}; use RandomForestRegressor.fromJSON`);
    }
    const classifier = new RandomForestClassifier();
    classifier.model = model;
    return classifier;
  }

  private probabilities(features: FeatureMatrix): Float64Array {
    const model = this.fitted();
    validateFeatures(features, model.nFeatures);
    return predictFlat(model.forest, features);
  }
}
