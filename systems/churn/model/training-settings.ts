import { asBag, InputError, intField, numberField } from '../../../core/data/input-fields.js';
import type { PromotionRule } from '../../../core/lifecycle/index.js';

/** The churn-train input: the forest, the time split, the monitoring reference and the promotion margins. */
export interface TrainingSettings {
  /** @default 100 */
  readonly nTrees: number;
  /** Depth limit: deep enough for interactions, shallow enough for a small model file. @default 12 */
  readonly maxDepth: number;
  /** Leaves of at least this many rows give smoother probabilities to calibrate. @default 5 */
  readonly minSamplesLeaf: number;
  /** @default 7 */
  readonly seed: number;
  /**
   * `balanced`: each class weighs n / (2 · its count), so the few churners shape the splits as much
   * as the many who stay. `none`: every row weighs 1. Calibration undoes the shift in probabilities
   * the weights cause. @default 'balanced'
   */
  readonly classWeight: 'balanced' | 'none';
  /** Snapshot days, before the holdout, the probabilities are calibrated and the threshold chosen on. @default 1 */
  readonly calibrationSnapshots: number;
  /** The latest snapshot days, on which champion and challenger are scored and the monitoring reference is built. @default 1 */
  readonly holdoutSnapshots: number;
  /** PSI bins per feature, cut at the reference's quantiles. @default 10 */
  readonly psiBins: number;
  /** Reference rows kept for the KS test (a deterministic subsample), bounding the model file. @default 5000 */
  readonly referenceSampleSize: number;
  /** Random chunks (a tenth of the reference each) whose metric spread gives the alert bands. @default 50 */
  readonly referenceChunks: number;
  /** Share of variance the PCA drift model keeps (NannyML's default). @default 0.65 */
  readonly pcaVariance: number;
  /** How much higher (absolute) the challenger's holdout ROC-AUC must be. @default 0.005 */
  readonly minRocAucGain: number;
  /** How much lower (absolute) the challenger's holdout F1 may be. @default 0.02 */
  readonly f1Tolerance: number;
}

export const defaultTrainingSettings: TrainingSettings = {
  nTrees: 100,
  maxDepth: 12,
  minSamplesLeaf: 5,
  seed: 7,
  classWeight: 'balanced',
  calibrationSnapshots: 1,
  holdoutSnapshots: 1,
  psiBins: 10,
  referenceSampleSize: 5000,
  referenceChunks: 50,
  pcaVariance: 0.65,
  minRocAucGain: 0.005,
  f1Tolerance: 0.02,
};

export function parseTrainingSettings(input: unknown): TrainingSettings {
  const bag = asBag(input, 'training settings');
  const d = defaultTrainingSettings;
  const classWeight = bag.classWeight ?? d.classWeight;
  if (classWeight !== 'balanced' && classWeight !== 'none')
    throw new InputError(`classWeight must be "balanced" or "none", got ${JSON.stringify(classWeight)}`);
  return {
    nTrees: intField(bag, 'nTrees', d.nTrees, 1, 1000),
    maxDepth: intField(bag, 'maxDepth', d.maxDepth, 1, 64),
    minSamplesLeaf: intField(bag, 'minSamplesLeaf', d.minSamplesLeaf, 1, 10_000),
    seed: intField(bag, 'seed', d.seed, 0, 2 ** 31 - 1),
    classWeight,
    calibrationSnapshots: intField(bag, 'calibrationSnapshots', d.calibrationSnapshots, 1, 60),
    holdoutSnapshots: intField(bag, 'holdoutSnapshots', d.holdoutSnapshots, 1, 60),
    psiBins: intField(bag, 'psiBins', d.psiBins, 2, 50),
    referenceSampleSize: intField(bag, 'referenceSampleSize', d.referenceSampleSize, 100, 100_000),
    referenceChunks: intField(bag, 'referenceChunks', d.referenceChunks, 5, 500),
    pcaVariance: numberField(bag, 'pcaVariance', d.pcaVariance, 0.05, 1),
    minRocAucGain: numberField(bag, 'minRocAucGain', d.minRocAucGain, -1, 1),
    f1Tolerance: numberField(bag, 'f1Tolerance', d.f1Tolerance, 0, 1),
  };
}

/**
 * Champion/challenger for churn forests, both scored on the same holdout: ROC-AUC decides (it
 * ranks customers, which is what a retention team works down), the challenger must be higher by
 * `minRocAucGain` so noise does not swap models daily, and its F1 at its own threshold may be at
 * most `f1Tolerance` lower, so a better ranking does not come with a worse list of customers to call.
 */
export function churnPromotionRule(
  settings: Pick<TrainingSettings, 'minRocAucGain' | 'f1Tolerance'> = defaultTrainingSettings,
): PromotionRule {
  return {
    metric: 'rocAuc',
    better: 'higher',
    margin: { kind: 'absolute', value: settings.minRocAucGain },
    notWorse: [{ metric: 'f1', better: 'higher', tolerance: settings.f1Tolerance }],
  };
}
