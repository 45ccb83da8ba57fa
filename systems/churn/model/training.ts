import { InputError } from '../../../core/data/input-fields.js';
import { RandomForestClassifier, type RandomForestModelJson } from '../../../core/ml/forest/index.js';
import { logLoss } from '../../../core/ml/metrics/index.js';
import {
  applyCalibration,
  brierScore,
  fitIsotonic,
  type IsotonicCalibration,
} from '../../../core/monitoring/calibration.js';
import { realisedMetrics } from '../../../core/monitoring/cbpe.js';
import { buildMonitoringReference, type MonitoringReference } from './monitoring.js';
import type { TrainingSettings } from './training-settings.js';
import type { LabelledMatrix } from './types.js';

/**
 * The churn model: a class-weighted random forest, its scores calibrated by isotonic regression
 * on later snapshots, a decision threshold chosen there for the best F1, and the reference the
 * monitor compares every scored day with. Plain JSON, so the registry stores it as it is.
 */
export interface ChurnModel {
  readonly kind: 'churn-forest';
  readonly featureNames: readonly string[];
  readonly forest: RandomForestModelJson;
  readonly calibration: IsotonicCalibration;
  /** A customer is flagged when the calibrated probability is ≥ this. */
  readonly threshold: number;
  /** Impurity-based importances, highest first; they sum to 1. */
  readonly importances: readonly { readonly feature: string; readonly importance: number }[];
  readonly reference: MonitoringReference;
  /** Rows and snapshot days each part had. */
  readonly trainedOn: {
    readonly train: PartSummary;
    readonly calibration: PartSummary;
    readonly reference: PartSummary;
  };
}

export interface PartSummary {
  readonly rows: number;
  readonly positives: number;
  readonly firstSnapshot: string;
  readonly lastSnapshot: string;
}

export interface ChurnTrainingData {
  readonly train: LabelledMatrix;
  readonly calibration: LabelledMatrix;
  readonly holdout: LabelledMatrix;
}

/** Training refused (the data cannot give a model): the adapter turns it into a failed fit. */
export class ChurnTrainingError extends InputError {}

function subset(matrix: LabelledMatrix, keep: (snapshot: string) => boolean): LabelledMatrix {
  const rows: number[] = [];
  matrix.snapshots.forEach((s, i) => {
    if (keep(s)) rows.push(i);
  });
  return {
    featureNames: matrix.featureNames,
    features: rows.map((i) => matrix.features[i] as readonly number[]),
    labels: rows.map((i) => matrix.labels[i] as number),
    snapshots: rows.map((i) => matrix.snapshots[i] as string),
    customerIds: rows.map((i) => matrix.customerIds[i] as string),
  };
}

function checkPart(part: LabelledMatrix, name: string, days: readonly string[]): void {
  const positives = part.labels.filter((y) => y === 1).length;
  const range = days.length > 0 ? ` (${days[0]}…${days.at(-1)})` : '';
  if (part.labels.length === 0)
    throw new ChurnTrainingError(`the ${name} part is empty${range}; expected rows`);
  if (positives === 0 || positives === part.labels.length)
    throw new ChurnTrainingError(
      `the ${name} part${range} has ${part.labels.length} rows of one class only (${positives} churned); it needs churners and stayers`,
    );
}

/**
 * Time-ordered split by snapshot day: the latest `holdoutSnapshots` days are the holdout, the
 * `calibrationSnapshots` days before them the calibration part, everything earlier the training
 * part. No customer-day of a later part is older than one of an earlier part, so nothing is
 * learned from the future it is judged on.
 */
export function splitByTime(
  matrix: LabelledMatrix,
  parts: { readonly calibrationSnapshots: number; readonly holdoutSnapshots: number },
): ChurnTrainingData {
  const n = matrix.labels.length;
  if (matrix.features.length !== n || matrix.snapshots.length !== n || matrix.customerIds.length !== n)
    throw new ChurnTrainingError(
      `the matrix has ${matrix.features.length} feature rows, ${n} labels, ${matrix.snapshots.length} snapshots and ${matrix.customerIds.length} customer ids; expected one of each per row`,
    );
  matrix.labels.forEach((y, i) => {
    if (y !== 0 && y !== 1) throw new ChurnTrainingError(`label ${i} is ${y}; expected 0 or 1`);
  });
  const days = [...new Set(matrix.snapshots)].sort();
  const needed = parts.calibrationSnapshots + parts.holdoutSnapshots + 1;
  if (days.length < needed)
    throw new ChurnTrainingError(
      `${days.length} snapshot day(s); the split needs at least ${needed} (${parts.holdoutSnapshots} holdout, ${parts.calibrationSnapshots} calibration, 1 or more to train on)`,
    );
  const holdoutDays = days.slice(-parts.holdoutSnapshots);
  const calibrationDays = days.slice(-needed + 1, -parts.holdoutSnapshots);
  const trainDays = days.slice(0, days.length - needed + 1);
  const holdoutFrom = holdoutDays[0] as string;
  const calibrationFrom = calibrationDays[0] as string;
  const data = {
    train: subset(matrix, (s) => s < calibrationFrom),
    calibration: subset(matrix, (s) => s >= calibrationFrom && s < holdoutFrom),
    holdout: subset(matrix, (s) => s >= holdoutFrom),
  };
  checkPart(data.train, 'training', trainDays);
  checkPart(data.calibration, 'calibration', calibrationDays);
  checkPart(data.holdout, 'holdout', holdoutDays);
  return data;
}

/** Loaded forests by their JSON object: a model scored many times is decoded once. */
const forests = new WeakMap<RandomForestModelJson, RandomForestClassifier>();

function forestOf(model: ChurnModel): RandomForestClassifier {
  let forest = forests.get(model.forest);
  if (!forest) {
    forest = RandomForestClassifier.fromJSON(model.forest);
    forests.set(model.forest, forest);
  }
  return forest;
}

function checkFeatureNames(expected: readonly string[], actual: readonly string[], what: string): void {
  if (expected.length === actual.length && expected.every((name, i) => actual[i] === name)) return;
  const missing = expected.filter((name) => !actual.includes(name));
  const extra = actual.filter((name) => !expected.includes(name));
  const detail = [
    missing.length > 0 ? `missing ${missing.join(', ')}` : '',
    extra.length > 0 ? `unexpected ${extra.join(', ')}` : '',
    missing.length === 0 && extra.length === 0 ? 'same names in another order' : '',
  ]
    .filter(Boolean)
    .join('; ');
  throw new ChurnTrainingError(
    `${what} columns differ from the model's (${expected.length} features): ${detail}`,
  );
}

/**
 * The decision threshold with the best F1 on (probability, label) pairs: every distinct
 * probability is tried as "flag at or above it", and the threshold returned lies halfway to the
 * next lower probability, so the same customers are flagged but a slightly lower score elsewhere
 * is not cut off by a hair. Kept inside (0, 1).
 */
export function bestF1Threshold(probabilities: readonly number[], labels: readonly number[]): number {
  const order = probabilities
    .map((_, i) => i)
    .sort((a, b) => (probabilities[b] as number) - (probabilities[a] as number));
  const positives = labels.reduce((s, y) => s + y, 0);
  let tp = 0;
  let flagged = 0;
  let bestF1 = -1;
  let best = 0.5;
  for (let i = 0; i < order.length; ) {
    const p = probabilities[order[i] as number] as number;
    while (i < order.length && probabilities[order[i] as number] === p) {
      tp += labels[order[i] as number] as number;
      flagged++;
      i++;
    }
    const f1 = (2 * tp) / (flagged + positives);
    if (f1 > bestF1) {
      bestF1 = f1;
      const next = i < order.length ? (probabilities[order[i] as number] as number) : 0;
      best = (p + next) / 2;
    }
  }
  return Math.min(1 - 1e-6, Math.max(1e-6, best));
}

function summary(part: LabelledMatrix): PartSummary {
  const days = [...new Set(part.snapshots)].sort();
  return {
    rows: part.labels.length,
    positives: part.labels.reduce((s, y) => s + y, 0),
    firstSnapshot: days[0] ?? '',
    lastSnapshot: days.at(-1) ?? '',
  };
}

function rawScores(forest: RandomForestClassifier, features: LabelledMatrix['features']): number[] {
  return Array.from(forest.predictProbaOf(features, 1));
}

/**
 * Trains the forest on `train`, calibrates it and picks the threshold on `calibration`, and
 * builds the monitoring reference on `holdout` (on `calibration` when no holdout is given: the
 * reference must be rows the forest never saw, with labels).
 */
export function trainChurnModel(
  train: LabelledMatrix,
  calibration: LabelledMatrix,
  settings: TrainingSettings,
  holdout?: LabelledMatrix,
): ChurnModel {
  checkPart(train, 'training', []);
  checkPart(calibration, 'calibration', []);
  checkFeatureNames(train.featureNames, calibration.featureNames, 'the calibration part');
  if (holdout) {
    checkPart(holdout, 'holdout', []);
    checkFeatureNames(train.featureNames, holdout.featureNames, 'the holdout');
  }
  const forest = new RandomForestClassifier({
    nTrees: settings.nTrees,
    maxDepth: settings.maxDepth,
    minSamplesLeaf: settings.minSamplesLeaf,
    seed: settings.seed,
    featureNames: [...train.featureNames],
    ...(settings.classWeight === 'balanced' ? { classWeight: 'balanced' as const } : {}),
  }).fit(train.features, train.labels);
  const calibrationMap = fitIsotonic(rawScores(forest, calibration.features), calibration.labels);
  const calibrated = applyCalibration(calibrationMap, rawScores(forest, calibration.features));
  const threshold = bestF1Threshold(calibrated, calibration.labels);
  const referencePart = holdout ?? calibration;
  const referenceProbabilities =
    referencePart === calibration
      ? calibrated
      : applyCalibration(calibrationMap, rawScores(forest, referencePart.features));
  const reference = buildMonitoringReference(referencePart, referenceProbabilities, threshold, {
    psiBins: settings.psiBins,
    referenceSampleSize: settings.referenceSampleSize,
    referenceChunks: settings.referenceChunks,
    pcaVariance: settings.pcaVariance,
    seed: settings.seed,
  });
  const importances = forest.featureImportances
    .map((importance, f) => ({ feature: train.featureNames[f] as string, importance }))
    .sort((a, b) => b.importance - a.importance);
  const forestJson = forest.toJSON();
  forests.set(forestJson, forest);
  return {
    kind: 'churn-forest',
    featureNames: [...train.featureNames],
    forest: forestJson,
    calibration: calibrationMap,
    threshold,
    importances,
    reference,
    trainedOn: {
      train: summary(train),
      calibration: summary(calibration),
      reference: summary(referencePart),
    },
  };
}

export interface CustomerScores {
  /** Calibrated churn probabilities, one per row. */
  readonly probabilities: number[];
  /** 1 = flagged (probability ≥ threshold). */
  readonly decisions: (0 | 1)[];
  readonly threshold: number;
}

export function scoreCustomers(
  model: ChurnModel,
  matrix: { readonly featureNames: readonly string[]; readonly features: readonly (readonly number[])[] },
): CustomerScores {
  checkFeatureNames(model.featureNames, matrix.featureNames, 'the scored');
  if (matrix.features.length === 0) return { probabilities: [], decisions: [], threshold: model.threshold };
  const probabilities = applyCalibration(model.calibration, rawScores(forestOf(model), matrix.features));
  return {
    probabilities,
    decisions: probabilities.map((p) => (p >= model.threshold ? 1 : 0)),
    threshold: model.threshold,
  };
}

export interface ChurnEvaluation {
  /** Null when the rows hold one class only. */
  readonly rocAuc: number | null;
  readonly f1: number;
  readonly accuracy: number;
  readonly precision: number;
  readonly recall: number;
  readonly logLoss: number;
  readonly brier: number;
  readonly positives: number;
  readonly rows: number;
}

/**
 * The model's metrics on labelled rows, from its calibrated probabilities and its own threshold
 * (as it is served). Log-loss clips probabilities to [1e-4, 1 − 1e-4]: an isotonic map can say 0
 * or 1 exactly, and one such mistake should cost a lot, not infinity.
 */
export function evaluate(model: ChurnModel, data: LabelledMatrix): ChurnEvaluation {
  if (data.labels.length === 0) throw new ChurnTrainingError('evaluation needs at least one labelled row');
  const { probabilities, decisions } = scoreCustomers(model, data);
  const metrics = realisedMetrics(data.labels, probabilities, decisions);
  return {
    ...metrics,
    logLoss: logLoss(data.labels, probabilities, { eps: 1e-4 }),
    brier: brierScore(data.labels, probabilities),
    positives: data.labels.reduce((s, y) => s + y, 0),
    rows: data.labels.length,
  };
}
