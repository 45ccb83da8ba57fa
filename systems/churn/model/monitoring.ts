import { asBag, InputError, intField, numberField } from '../../../core/data/input-fields.js';
import { seededRandom } from '../../../core/data/seeded-random.js';
import {
  applyCalibration,
  fitIsotonic,
  type IsotonicCalibration,
  parseCalibration,
} from '../../../core/monitoring/calibration.js';
import { type BinaryMetrics, estimateMetrics, realisedMetrics } from '../../../core/monitoring/cbpe.js';
import { fitPcaDrift, type PcaDriftModel, reconstructionError } from '../../../core/monitoring/pca-drift.js';
import {
  band,
  type ReferenceStatistic,
  referenceStatistic,
  sampleChunks,
  scaledStd,
} from '../../../core/monitoring/reference-band.js';
import {
  type FeatureDrift,
  type FeatureReference,
  featureDrift,
  fitFeatureReference,
} from '../../../core/monitoring/univariate-drift.js';
import type { LabelledMatrix } from './types.js';

/**
 * The churn model's monitoring: what the champion's holdout looked like (the reference, stored in
 * the model), and each monitored day compared with it — performance estimated from the calibrated
 * probabilities (CBPE) before labels exist, realised once they do, and drift per feature (PSI, KS)
 * and of the features together (PCA reconstruction error).
 */
export const MONITORED_METRICS = ['rocAuc', 'f1', 'accuracy', 'precision', 'recall'] as const;
export type MonitoredMetric = (typeof MONITORED_METRICS)[number];

export interface MonitoringReference {
  readonly kind: 'churn-monitoring-reference';
  readonly featureNames: readonly string[];
  readonly rows: number;
  readonly positiveRate: number;
  readonly threshold: number;
  readonly features: readonly FeatureReference[];
  readonly pca: PcaDriftModel;
  /**
   * CBPE's own calibrator, fitted on the reference (the served probabilities against their labels),
   * as NannyML fits one: the model's calibration was fitted on another, smaller part, and an
   * estimate is only as good as the probabilities' calibration on data like the monitored days.
   * Absent in references built before it existed: the served probabilities are used as they are.
   */
  readonly cbpeCalibration?: IsotonicCalibration;
  /** Each metric over the reference chunks: realised from labels, and CBPE's estimate beside it. */
  readonly performance: {
    readonly realised: Readonly<Record<MonitoredMetric, ReferenceStatistic>>;
    readonly estimated: Readonly<Record<MonitoredMetric, ReferenceStatistic>>;
  };
}

export interface ReferenceSettings {
  readonly psiBins: number;
  readonly referenceSampleSize: number;
  readonly referenceChunks: number;
  readonly pcaVariance: number;
  readonly seed: number;
}

/** Rows of a deterministic subsample of at most `size` rows (a seeded partial shuffle), ascending. */
function subsample(rows: number, size: number, random: () => number): number[] {
  const order = Array.from({ length: rows }, (_, i) => i);
  const keep = Math.min(rows, size);
  for (let i = 0; i < keep; i++) {
    const j = i + Math.floor(random() * (rows - i));
    const swap = order[i] as number;
    order[i] = order[j] as number;
    order[j] = swap;
  }
  return order.slice(0, keep).sort((a, b) => a - b);
}

function pick<T>(values: readonly T[], rows: readonly number[]): T[] {
  return rows.map((i) => values[i] as T);
}

/**
 * Churners (and stayers) a reference needs before CBPE gets a calibrator of its own: isotonic
 * regression on a dozen churners pools them into a step or two, and a flat map makes every
 * estimated ROC-AUC exactly 0.5 (seen on a 300-customer run). Below it, the model's own
 * calibration is used as it is.
 */
export const MIN_CLASS_ROWS_FOR_CBPE_CALIBRATION = 100;

function cbpeCalibrator(
  probabilities: readonly number[],
  labels: readonly number[],
): IsotonicCalibration | undefined {
  const positives = labels.reduce((sum, y) => sum + y, 0);
  if (Math.min(positives, labels.length - positives) < MIN_CLASS_ROWS_FOR_CBPE_CALIBRATION) return undefined;
  const calibration = fitIsotonic(probabilities, labels);
  // A map with fewer than three levels cannot rank; keep the model's calibration then too.
  return new Set(calibration.y).size >= 3 ? calibration : undefined;
}

/**
 * Built at training time from the holdout the model was scored on: rows it never trained on,
 * with labels, so the realised metrics there are the standard the monitored days are held to.
 */
export function buildMonitoringReference(
  holdout: LabelledMatrix,
  probabilities: readonly number[],
  threshold: number,
  settings: ReferenceSettings,
): MonitoringReference {
  const n = holdout.features.length;
  if (probabilities.length !== n)
    throw new InputError(`the reference has ${n} rows but ${probabilities.length} probabilities`);
  if (n < 20) throw new InputError(`the reference needs at least 20 rows, got ${n}`);
  const random = seededRandom(settings.seed);
  const sample = subsample(n, settings.referenceSampleSize, random);
  const features = holdout.featureNames.map((name, f) =>
    fitFeatureReference(
      name,
      holdout.features.map((row) => row[f] as number),
      sample,
      settings.psiBins,
    ),
  );
  const pca = fitPcaDrift(holdout.featureNames, pick(holdout.features, sample), {
    varianceToKeep: settings.pcaVariance,
    random,
  });
  const decisions = probabilities.map((p) => (p >= threshold ? 1 : 0));
  // Chunks of a tenth of the reference, drawn at random many times: their spread is the
  // sampling spread of each metric at that size, rescaled later to each monitored day's size.
  const chunkSize = Math.floor(n / 10);
  const chunks = sampleChunks(n, settings.referenceChunks, chunkSize, random);
  const realised = chunks.map((rows) =>
    realisedMetrics(pick(holdout.labels, rows), pick(probabilities, rows), pick(decisions, rows)),
  );
  const cbpeCalibration = cbpeCalibrator(probabilities, holdout.labels);
  const expected = cbpeCalibration ? applyCalibration(cbpeCalibration, probabilities) : probabilities;
  const estimated = chunks.map((rows) =>
    estimateMetrics(pick(expected, rows), pick(decisions, rows), pick(probabilities, rows)),
  );
  const stats = (values: BinaryMetrics[]) =>
    Object.fromEntries(
      MONITORED_METRICS.map((m) => [
        m,
        referenceStatistic(
          values.map((v) => v[m] ?? Number.NaN),
          chunkSize,
          n,
        ),
      ]),
    ) as Record<MonitoredMetric, ReferenceStatistic>;
  return {
    kind: 'churn-monitoring-reference',
    featureNames: [...holdout.featureNames],
    rows: n,
    positiveRate: holdout.labels.reduce((s, y) => s + y, 0) / n,
    threshold,
    ...(cbpeCalibration ? { cbpeCalibration } : {}),
    features,
    pca,
    performance: { realised: stats(realised), estimated: stats(estimated) },
  };
}

/** One monitored day: the champion's predictions of that snapshot, and labels as far as they are known. */
export interface MonitoredPeriod {
  /** `YYYY-MM-DD`. */
  readonly period: string;
  /** Rows in the reference's feature order. */
  readonly features: readonly (readonly number[])[];
  /** Calibrated probabilities. */
  readonly probabilities: readonly number[];
  readonly decisions: readonly number[];
  /** 1 churned, 0 stayed, null not known yet (the 30-day horizon has not passed). */
  readonly labels: readonly (0 | 1 | null)[];
}

export interface MonitoringThresholds {
  /** A feature drifts when its PSI exceeds this (the credit-scoring rule: above 0.2 is a significant shift). */
  readonly psi: number;
  /** ... or when KS rejects equality at this level ... */
  readonly ksPValue: number;
  /** ... with at least this KS statistic: on thousands of rows a p-value alone flags trivial shifts. */
  readonly ksMinStatistic: number;
  /** A data-drift alert when more than this many features drift. */
  readonly maxDriftingFeatures: number;
  /** The PCA error's band: reference mean ± this many (size-scaled) standard deviations. */
  readonly pcaBandStd: number;
  /** A metric's alert threshold: reference mean − this many (size-scaled) standard deviations. */
  readonly performanceBandStd: number;
  /** Floors that alert regardless of the reference (0 = none): a business minimum. */
  readonly minRocAuc: number;
  readonly minF1: number;
  /** Realised metrics are computed once at least this share of a day's labels is known. */
  readonly minLabelledShare: number;
}

export const defaultMonitoringThresholds: MonitoringThresholds = {
  psi: 0.2,
  ksPValue: 0.05,
  ksMinStatistic: 0.1,
  maxDriftingFeatures: 0,
  pcaBandStd: 3,
  performanceBandStd: 3,
  minRocAuc: 0,
  minF1: 0,
  minLabelledShare: 0.9,
};

export function parseMonitoringThresholds(input: unknown): MonitoringThresholds {
  const bag = asBag(input, 'monitoring thresholds');
  const d = defaultMonitoringThresholds;
  return {
    psi: numberField(bag, 'psi', d.psi, 0, 10),
    ksPValue: numberField(bag, 'ksPValue', d.ksPValue, 0, 1),
    ksMinStatistic: numberField(bag, 'ksMinStatistic', d.ksMinStatistic, 0, 1),
    maxDriftingFeatures: intField(bag, 'maxDriftingFeatures', d.maxDriftingFeatures, 0, 10_000),
    pcaBandStd: numberField(bag, 'pcaBandStd', d.pcaBandStd, 0, 100),
    performanceBandStd: numberField(bag, 'performanceBandStd', d.performanceBandStd, 0, 100),
    minRocAuc: numberField(bag, 'minRocAuc', d.minRocAuc, 0, 1),
    minF1: numberField(bag, 'minF1', d.minF1, 0, 1),
    minLabelledShare: numberField(bag, 'minLabelledShare', d.minLabelledShare, 0, 1),
  };
}

export type AlertKind = 'estimated-performance-drop' | 'data-drift' | 'realised-performance-drop';

export interface PeriodAlert {
  readonly kind: AlertKind;
  readonly reason: string;
}

export interface PeriodResult {
  readonly period: string;
  readonly rows: number;
  readonly labelled: number;
  readonly estimated: BinaryMetrics;
  /** NannyML's sampling-error band around each estimate: ± 3 size-scaled reference std. */
  readonly estimatedBand: Readonly<
    Record<MonitoredMetric, { readonly lower: number; readonly upper: number }>
  >;
  /** Null until `minLabelledShare` of the day's labels is known. */
  readonly realised: BinaryMetrics | null;
  /** Each metric's lower alert threshold for a day of this size. */
  readonly thresholds: Readonly<Record<MonitoredMetric, number>>;
  /** Each feature's drift, with the PSI limit it was held to on a day of this size. */
  readonly features: readonly (FeatureDrift & { readonly psiLimit: number; readonly drifted: boolean })[];
  readonly driftedFeatures: readonly string[];
  readonly pca: {
    readonly error: number;
    readonly lower: number;
    readonly upper: number;
    readonly drifted: boolean;
  };
  readonly alerts: readonly PeriodAlert[];
}

export interface MonitoringResult {
  readonly featureNames: readonly string[];
  readonly thresholds: MonitoringThresholds;
  readonly reference: {
    readonly rows: number;
    readonly positiveRate: number;
    readonly decisionThreshold: number;
    readonly realisedMeans: Readonly<Record<MonitoredMetric, number>>;
  };
  /** Oldest first. */
  readonly periods: readonly PeriodResult[];
  /** The first period each kind of alert was raised on. */
  readonly firstAlert: Partial<Readonly<Record<AlertKind, string>>>;
}

const fmt = (x: number) => x.toFixed(3);

function checkPeriod(period: MonitoredPeriod, width: number): void {
  const what = `period ${period.period}`;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(period.period))
    throw new InputError(`period must be a YYYY-MM-DD day, got ${JSON.stringify(period.period)}`);
  const n = period.features.length;
  if (n === 0) throw new InputError(`${what} has no rows`);
  if (period.probabilities.length !== n || period.decisions.length !== n || period.labels.length !== n)
    throw new InputError(
      `${what} has ${n} feature rows, ${period.probabilities.length} probabilities, ${period.decisions.length} decisions and ${period.labels.length} labels; expected one of each per row`,
    );
  period.features.forEach((row, i) => {
    if (row.length !== width)
      throw new InputError(`${what} row ${i} has ${row.length} features; the reference has ${width}`);
  });
  period.labels.forEach((y, i) => {
    if (y !== 0 && y !== 1 && y !== null)
      throw new InputError(`${what} label ${i} is ${JSON.stringify(y)}; expected 0, 1 or null`);
  });
}

function monitorPeriod(
  reference: MonitoringReference,
  period: MonitoredPeriod,
  t: MonitoringThresholds,
): PeriodResult {
  checkPeriod(period, reference.featureNames.length);
  const n = period.features.length;
  // Expected outcomes from CBPE's calibrator; the ranking stays the served probabilities'.
  const expected = reference.cbpeCalibration
    ? applyCalibration(reference.cbpeCalibration, period.probabilities)
    : period.probabilities;
  const estimated = estimateMetrics(expected, period.decisions, period.probabilities);
  const realisedStats = reference.performance.realised;
  const thresholds = Object.fromEntries(
    MONITORED_METRICS.map((m) => {
      const floor = m === 'rocAuc' ? t.minRocAuc : m === 'f1' ? t.minF1 : 0;
      const statistical = band(realisedStats[m], n, t.performanceBandStd).lower;
      return [m, Math.max(Number.isFinite(statistical) ? statistical : 0, floor)];
    }),
  ) as Record<MonitoredMetric, number>;
  const estimatedBand = Object.fromEntries(
    MONITORED_METRICS.map((m) => {
      const value = estimated[m] ?? Number.NaN;
      const spread = 3 * scaledStd(realisedStats[m], n);
      return [m, { lower: Math.max(0, value - spread), upper: Math.min(1, value + spread) }];
    }),
  ) as PeriodResult['estimatedBand'];

  const labelledRows: number[] = [];
  period.labels.forEach((y, i) => {
    if (y !== null) labelledRows.push(i);
  });
  const realised =
    labelledRows.length > 0 && labelledRows.length >= t.minLabelledShare * n
      ? realisedMetrics(
          labelledRows.map((i) => period.labels[i] as number),
          labelledRows.map((i) => period.probabilities[i] as number),
          labelledRows.map((i) => period.decisions[i] as number),
        )
      : null;

  // Every feature is tested every day: KS's level is split among them (Bonferroni), and PSI's
  // limit adds its small-sample bias, (bins − 1)(1/n_reference + 1/n_day), which on a few hundred
  // rows alone approaches 0.1: without both, some feature "drifts" most days by chance.
  const ksLevel = t.ksPValue / Math.max(1, reference.features.length);
  const features = reference.features.map((featureReference, f) => {
    const drift = featureDrift(
      featureReference,
      period.features.map((row) => row[f] as number),
    );
    const psiLimit = t.psi + featureReference.edges.length * (1 / reference.rows + 1 / n);
    const drifted =
      drift.psi > psiLimit || (drift.ksPValue < ksLevel && drift.ksStatistic >= t.ksMinStatistic);
    return { ...drift, psiLimit, drifted };
  });
  const driftedFeatures = features.filter((f) => f.drifted).map((f) => f.name);
  const pcaError = reconstructionError(reference.pca, period.features);
  const pcaBand = band(reference.pca.reference, n, t.pcaBandStd);
  // Only an error above the band alerts: rows the reference's components explain worse. An error
  // below it (rows closer to the reference's main directions than the reference itself) is shown
  // in the report but does not make the model's inputs unfamiliar.
  const pca = { error: pcaError, ...pcaBand, drifted: pcaError > pcaBand.upper };

  const alerts: PeriodAlert[] = [];
  const below = (metrics: BinaryMetrics, names: MonitoredMetric[]) =>
    names
      .filter((m) => metrics[m] !== null && (metrics[m] as number) < thresholds[m])
      .map((m) => `${m} ${fmt(metrics[m] as number)} < ${fmt(thresholds[m])}`);
  const estimatedDrop = below(estimated, ['rocAuc', 'f1']);
  if (estimatedDrop.length > 0)
    alerts.push({ kind: 'estimated-performance-drop', reason: `estimated ${estimatedDrop.join(', ')}` });
  const dataDrift: string[] = [];
  if (pca.drifted)
    dataDrift.push(
      `PCA reconstruction error ${fmt(pcaError)} above its band [${fmt(pca.lower)}, ${fmt(pca.upper)}]`,
    );
  if (driftedFeatures.length > t.maxDriftingFeatures)
    dataDrift.push(`${driftedFeatures.length} feature(s) drifted: ${driftedFeatures.join(', ')}`);
  if (dataDrift.length > 0) alerts.push({ kind: 'data-drift', reason: dataDrift.join('; ') });
  const realisedDrop = realised ? below(realised, ['rocAuc', 'f1']) : [];
  if (realisedDrop.length > 0)
    alerts.push({ kind: 'realised-performance-drop', reason: `realised ${realisedDrop.join(', ')}` });

  return {
    period: period.period,
    rows: n,
    labelled: labelledRows.length,
    estimated,
    estimatedBand,
    realised,
    thresholds,
    features,
    driftedFeatures,
    pca,
    alerts,
  };
}

/** Compares each period with the reference; periods come back oldest first. */
export function monitorPeriods(
  reference: MonitoringReference,
  periods: readonly MonitoredPeriod[],
  thresholds: MonitoringThresholds = defaultMonitoringThresholds,
): MonitoringResult {
  const results = [...periods]
    .sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0))
    .map((period) => monitorPeriod(reference, period, thresholds));
  const firstAlert: Partial<Record<AlertKind, string>> = {};
  for (const result of results) for (const alert of result.alerts) firstAlert[alert.kind] ??= result.period;
  return {
    featureNames: reference.featureNames,
    thresholds,
    reference: {
      rows: reference.rows,
      positiveRate: reference.positiveRate,
      decisionThreshold: reference.threshold,
      realisedMeans: Object.fromEntries(
        MONITORED_METRICS.map((m) => [m, reference.performance.realised[m].mean]),
      ) as Record<MonitoredMetric, number>,
    },
    periods: results,
    firstAlert,
  };
}

/** A light check of a stored reference (the model's artifact) before it is used. */
export function parseMonitoringReference(
  value: unknown,
  featureNames: readonly string[],
): MonitoringReference {
  const bag = value as Partial<MonitoringReference> | null;
  if (!bag || typeof bag !== 'object' || bag.kind !== 'churn-monitoring-reference')
    throw new InputError('reference must be an object with kind "churn-monitoring-reference"');
  if (!Array.isArray(bag.featureNames) || bag.featureNames.join('\u0000') !== featureNames.join('\u0000'))
    throw new InputError("reference.featureNames must be the model's feature names, in order");
  if (!Array.isArray(bag.features) || bag.features.length !== featureNames.length)
    throw new InputError(`reference.features must hold one entry per feature (${featureNames.length})`);
  if (bag.pca?.kind !== 'pca-reconstruction' || !Array.isArray(bag.pca.components))
    throw new InputError('reference.pca must be a PCA reconstruction drift model');
  // JSON turns a NaN (a metric no reference chunk could compute) into null: back to NaN.
  const performance = { realised: {}, estimated: {} } as Record<
    'realised' | 'estimated',
    Record<string, ReferenceStatistic>
  >;
  for (const side of ['realised', 'estimated'] as const)
    for (const m of MONITORED_METRICS) {
      const stat = bag.performance?.[side]?.[m] as
        | {
            mean: number | null;
            std: number | null;
            chunkSize: number;
            referenceRows: number;
            chunks: number[];
          }
        | undefined;
      if (
        !stat ||
        (typeof stat.mean !== 'number' && stat.mean !== null) ||
        typeof stat.chunkSize !== 'number' ||
        typeof stat.referenceRows !== 'number'
      )
        throw new InputError(`reference.performance.${side}.${m} is missing`);
      performance[side][m] = { ...stat, mean: stat.mean ?? Number.NaN, std: stat.std ?? Number.NaN };
    }
  return {
    ...(bag as MonitoringReference),
    ...(bag.cbpeCalibration === undefined
      ? {}
      : { cbpeCalibration: parseCalibration(bag.cbpeCalibration, 'reference.cbpeCalibration') }),
    performance: performance as unknown as MonitoringReference['performance'],
  };
}
