import { InputError } from '../../../core/data/input-fields.js';
import type { FitResult, ModelAdapter, ModelScore } from '../../../core/lifecycle/index.js';
import { RandomForestClassifier, RandomForestInputError } from '../../../core/ml/forest/index.js';
import { CalibrationError, parseCalibration } from '../../../core/monitoring/calibration.js';
import { parseMonitoringReference } from './monitoring.js';
import {
  type ChurnModel,
  type ChurnTrainingData,
  ChurnTrainingError,
  evaluate,
  trainChurnModel,
} from './training.js';
import { churnPromotionRule, type TrainingSettings } from './training-settings.js';

export type { ChurnTrainingData };
export { churnPromotionRule };

/**
 * The churn system's model family for the shared champion/challenger lifecycle. A challenger is
 * trained on the training part, calibrated on the calibration part; both it and the champion are
 * scored on the same holdout (the latest snapshots, which neither has seen), each with its own
 * calibration and threshold, as each would be served. The champion is not refitted: the question
 * is whether the served model should change.
 */
export function churnModelAdapter(settings: TrainingSettings): ModelAdapter<ChurnTrainingData, ChurnModel> {
  return {
    kind: 'churn-forest',
    async fit(data): Promise<FitResult<ChurnModel>> {
      try {
        return { ok: true, model: trainChurnModel(data.train, data.calibration, settings, data.holdout) };
      } catch (error) {
        // Data the model cannot be trained on fails the same way on a retry.
        if (error instanceof InputError || error instanceof RandomForestInputError)
          return { ok: false, reason: error.message };
        throw error;
      }
    },
    score(model, data): ModelScore {
      const label = `forest ${model.forest.nTrees} trees, threshold ${model.threshold.toFixed(3)}`;
      try {
        const metrics = evaluate(model, data.holdout);
        return {
          label,
          metrics: { ...metrics },
          ...(metrics.rocAuc === null ? { unusable: 'the holdout holds one class only' } : {}),
        };
      } catch (error) {
        // A champion trained on other feature columns cannot be scored on this holdout.
        if (error instanceof InputError) return { label, metrics: {}, unusable: error.message };
        throw error;
      }
    },
    describe: (model) => ({
      settings,
      threshold: model.threshold,
      features: model.featureNames.length,
      topImportances: model.importances.slice(0, 10),
      trainedOn: model.trainedOn,
      holdout: {
        realisedMeans: Object.fromEntries(
          Object.entries(model.reference.performance.realised).map(([m, s]) => [m, s.mean]),
        ),
        rows: model.reference.rows,
        positiveRate: model.reference.positiveRate,
      },
    }),
    serialize: (model) => model,
    deserialize: (artifact) => parseChurnModel(artifact),
  };
}

/** Checks a registry artifact is a churn model this code can serve and monitor with. */
export function parseChurnModel(artifact: unknown): ChurnModel {
  const bag = artifact as Partial<ChurnModel> | null;
  if (!bag || typeof bag !== 'object' || bag.kind !== 'churn-forest')
    throw new ChurnTrainingError(
      `the artifact is not a churn model (kind ${JSON.stringify(bag?.kind)}; expected "churn-forest")`,
    );
  const names = bag.featureNames;
  if (!Array.isArray(names) || names.length === 0 || names.some((n) => typeof n !== 'string'))
    throw new ChurnTrainingError('the churn model needs featureNames, a non-empty list of strings');
  if (typeof bag.threshold !== 'number' || !(bag.threshold > 0 && bag.threshold < 1))
    throw new ChurnTrainingError(
      `the churn model's threshold must be in (0, 1), got ${JSON.stringify(bag.threshold)}`,
    );
  try {
    const forest = RandomForestClassifier.fromJSON(bag.forest as ChurnModel['forest']);
    if (forest.nFeatures !== names.length)
      throw new ChurnTrainingError(
        `the forest takes ${forest.nFeatures} features but featureNames lists ${names.length}`,
      );
    if (forest.classes.join(',') !== '0,1')
      throw new ChurnTrainingError(`the forest's classes are ${forest.classes.join(', ')}; expected 0, 1`);
    const calibration = parseCalibration(bag.calibration, 'calibration');
    const reference = parseMonitoringReference(bag.reference, names);
    if (!Array.isArray(bag.importances))
      throw new ChurnTrainingError('the churn model needs its importances');
    return { ...(bag as ChurnModel), calibration, reference };
  } catch (error) {
    if (error instanceof RandomForestInputError || error instanceof CalibrationError)
      throw new ChurnTrainingError(`the churn model is damaged: ${error.message}`);
    throw error;
  }
}
