import { RandomForestInputError } from './errors.js';
import type { ForestModel } from './fit.js';
import { modelToJson, type RandomForestModelJson } from './model-format.js';

/** What classifier and regressor share once fitted: the model, its statistics and its JSON. */
export abstract class FittedForest {
  protected model: ForestModel | null = null;

  /** `classifier` or `regressor`, for the "not fitted" message. */
  protected abstract readonly kind: string;

  /** Impurity-based importances, normalised to sum to 1, in feature-column order. */
  get featureImportances(): number[] {
    return [...this.fitted().featureImportances];
  }

  /** Out-of-bag score (accuracy for a classifier, R² for a regressor) with `oobScore: true`, else null. */
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

  protected fitted(): ForestModel {
    if (!this.model)
      throw new RandomForestInputError(`the ${this.kind} is not fitted; call fit() or fromJSON() first`);
    return this.model;
  }
}
