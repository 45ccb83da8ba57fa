import { type BarChartSpec, renderSvg } from '../../../core/reports/svg-chart.js';
import { pearson, ranks, spearman } from '../../../core/stats/correlation.js';
import type { OnlineRecord } from '../records/record.js';

/**
 * The variable analysis the original notebook did, as a report: how each feature goes with the
 * class label and with the regression target (Pearson for linear, Spearman for monotone
 * relations), and how much each model leans on each feature (|weight| or split gain). Pure: the
 * handler reads the records and the models' importances and writes what this returns.
 */

export interface Correlation {
  /** Linear correlation, in [-1, 1]; null when either side is constant or there are < 3 pairs. */
  readonly pearson: number | null;
  /** Rank correlation (ties share their average rank). */
  readonly spearman: number | null;
}

export interface FeatureCorrelation {
  readonly feature: string;
  /** Records that carried this feature as a finite number. */
  readonly n: number;
  readonly label: Correlation;
  readonly target: Correlation;
}

export interface ModelImportance {
  readonly modelName: string;
  /** Records the model learned since it was created or last reset. */
  readonly learned: number;
  /** By feature, scaled to sum to 1 (the raw scales of weights and split gains differ). */
  readonly importance: Record<string, number>;
}

export interface VariableAnalysisInput {
  readonly startTime: string;
  readonly endTime: string;
  readonly createdAt: string;
  /** The records of the range; duplicates of a tick (a re-sent poll) count once. */
  readonly records: readonly OnlineRecord[];
  readonly models: {
    readonly classification?: ModelImportance;
    readonly regression?: ModelImportance;
  };
}

export interface VariableAnalysis {
  readonly system: 'online';
  readonly startTime: string;
  readonly endTime: string;
  readonly createdAt: string;
  readonly records: number;
  readonly firstTick: number | null;
  readonly lastTick: number | null;
  /** Share of records with label 1. */
  readonly labelRate: number | null;
  readonly target: { readonly mean: number | null; readonly sd: number | null };
  /** By |Pearson with the label| + |Pearson with the target|, strongest first. */
  readonly features: readonly FeatureCorrelation[];
  readonly models: VariableAnalysisInput['models'];
}

// Moved to core so the churn EDA shares them; re-exported for this module's callers.
export { pearson, ranks, spearman };

/** Each feature against the label and the target, over the records that carry it. */
export function featureCorrelations(records: readonly OnlineRecord[]): FeatureCorrelation[] {
  const names = [...new Set(records.flatMap((record) => Object.keys(record.features)))];
  const rows = names.map((feature) => {
    const xs: number[] = [];
    const labels: number[] = [];
    const targets: number[] = [];
    for (const record of records) {
      const x = record.features[feature];
      if (typeof x !== 'number' || !Number.isFinite(x)) continue;
      xs.push(x);
      labels.push(record.label);
      targets.push(record.target);
    }
    return {
      feature,
      n: xs.length,
      label: { pearson: round(pearson(xs, labels)), spearman: round(spearman(xs, labels)) },
      target: { pearson: round(pearson(xs, targets)), spearman: round(spearman(xs, targets)) },
    };
  });
  return rows.sort((a, b) => strength(b) - strength(a) || a.feature.localeCompare(b.feature));
}

/** Scales non-negative importances to sum to 1, so two models' bars read on one scale. */
export function normaliseImportance(raw: Record<string, number>): Record<string, number> {
  const entries = Object.entries(raw).filter(([, value]) => Number.isFinite(value));
  const total = entries.reduce((sum, [, value]) => sum + Math.abs(value), 0);
  return Object.fromEntries(
    entries
      .map(([name, value]) => [name, total > 0 ? Math.abs(value) / total : 0] as const)
      .sort((a, b) => b[1] - a[1]),
  );
}

/** The report (JSON) and its two pictures: correlations, and the models' importances. */
export function analyseVariables(input: VariableAnalysisInput): {
  report: VariableAnalysis;
  pictures: { correlations: string; importance: string };
} {
  const byTick = new Map<number, OnlineRecord>();
  for (const record of input.records) if (!byTick.has(record.tick)) byTick.set(record.tick, record);
  const records = [...byTick.values()].sort((a, b) => a.tick - b.tick);
  const targets = records.map((record) => record.target);
  const mean = targets.length > 0 ? targets.reduce((sum, y) => sum + y, 0) / targets.length : null;
  const sd =
    mean === null || targets.length < 2
      ? null
      : Math.sqrt(targets.reduce((sum, y) => sum + (y - mean) ** 2, 0) / (targets.length - 1));
  const features = featureCorrelations(records);
  const report: VariableAnalysis = {
    system: 'online',
    startTime: input.startTime,
    endTime: input.endTime,
    createdAt: input.createdAt,
    records: records.length,
    firstTick: records[0]?.tick ?? null,
    lastTick: records.at(-1)?.tick ?? null,
    labelRate:
      records.length > 0 ? round(records.filter((r) => r.label === 1).length / records.length) : null,
    target: { mean: round(mean), sd: round(sd) },
    features,
    models: input.models,
  };
  const range = `${input.startTime} – ${input.endTime}, ${records.length} records`;
  return {
    report,
    pictures: {
      correlations: renderSvg([
        correlationBars(features, 'label', `Correlation with the class label (fault), ${range}`),
        correlationBars(features, 'target', `Correlation with the regression target (power_kw), ${range}`),
      ]),
      importance: renderSvg([
        importanceBars('classification', input.models.classification),
        importanceBars('regression', input.models.regression),
      ]),
    },
  };
}

const POSITIVE = '#2563eb';
const NEGATIVE = '#dc2626';

function correlationBars(
  features: readonly FeatureCorrelation[],
  against: 'label' | 'target',
  title: string,
): BarChartSpec {
  const rows = [...features].sort(
    (a, b) => Math.abs(b[against].pearson ?? 0) - Math.abs(a[against].pearson ?? 0),
  );
  return {
    kind: 'bars',
    title,
    subtitle: '|Pearson r|; blue: positive, red: negative; Spearman ρ in the label',
    width: 960,
    height: Math.max(120, 70 + rows.length * 22),
    bars: rows.map((row) => {
      const r = row[against].pearson ?? 0;
      const rho = row[against].spearman;
      return {
        label: `${row.feature} (ρ ${rho === null ? 'n/a' : signed(rho)})`,
        value: Math.abs(r),
        color: r < 0 ? NEGATIVE : POSITIVE,
      };
    }),
  };
}

function importanceBars(model: string, importance: ModelImportance | undefined): BarChartSpec {
  const bars = Object.entries(importance?.importance ?? {}).map(([label, value]) => ({
    label,
    value,
    color: '#059669',
  }));
  return {
    kind: 'bars',
    title: `${model}: share of importance per feature${importance ? ` (${importance.modelName})` : ''}`,
    subtitle: importance
      ? `${importance.learned} records learned since the model was created or last reset by drift`
      : 'no checkpoint yet: the learner has not learned anything',
    width: 960,
    height: Math.max(120, 70 + bars.length * 22),
    bars,
  };
}

function strength(row: FeatureCorrelation): number {
  return Math.abs(row.label.pearson ?? 0) + Math.abs(row.target.pearson ?? 0);
}

const signed = (value: number) => `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(2)}`;
/** Four decimals: a report for people, and stable across machines' last-bit differences. */
function round<T extends number | null>(value: T): T {
  return (value === null ? null : Math.round(value * 10_000) / 10_000) as T;
}
