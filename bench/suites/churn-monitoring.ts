import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FeatureColumn } from '../../core/features/columns.js';
import { writeFeatureParquet } from '../../core/features/parquet.js';
import { churnModelAdapter } from '../../systems/churn/model/churn-adapter.js';
import { summarizeDay } from '../../systems/churn/model/daily-summary.js';
import { mergeDayEvents } from '../../systems/churn/model/day-events.js';
import {
  buildSnapshotFeatures,
  MODEL_FEATURES,
  toFeatureMatrix,
  toLabelledMatrix,
} from '../../systems/churn/model/features.js';
import { addDays, churnDays, labelAt } from '../../systems/churn/model/labels.js';
import {
  type MonitoredMetric,
  type MonitoringResult,
  monitorPeriods,
} from '../../systems/churn/model/monitoring.js';
import { monitoredPeriod } from '../../systems/churn/model/monitoring-periods.js';
import { type ChurnModel, scoreCustomers, splitByTime } from '../../systems/churn/model/training.js';
import { defaultTrainingSettings } from '../../systems/churn/model/training-settings.js';
import { parseTrainingWindow, trainingSnapshots } from '../../systems/churn/model/training-window.js';
import type { ChurnEvent, Row } from '../../systems/churn/model/types.js';
import { churnRecordSpec } from '../../systems/churn/records/event.js';
import { churnEventDays, defaultChurnGeneratorOptions } from '../../systems/churn/records/generator.js';
import type { BenchContext, BenchRow, BenchSuite } from '../types.js';
import { flagTimeline, meanAbsoluteError } from './support/churn-bench.js';
import { hostLoad, round, withTempDir } from './support/measure.js';
import { ensureNannymlPython } from './support/nannyml-python.js';

/**
 * How well the churn monitor does its job on generated data with a known shift: CBPE's estimates
 * against the realised metrics once labels settle, and the day each drift detector first flags the
 * shift against the day it starts. NannyML (CBPE, univariate and multivariate drift) on the same
 * reference and the same days beside ours.
 *
 * The timeline: a champion trained on the data known on day 100 (settled snapshots up to day 70),
 * then every later day scored and monitored with the data known on the last day; the drift starts
 * on day 110, so about 20 monitored days after it have settled labels and about 50 in all have
 * estimates.
 */
const SUITE = 'churn-monitoring';
const DAYS = 160;
const DRIFT_START = 110;
const TRAIN_ON_DAY = 99;
const METRICS: readonly MonitoredMetric[] = ['rocAuc', 'f1', 'accuracy'];
const NANNYML_METRIC: Record<string, string> = { rocAuc: 'roc_auc', f1: 'f1', accuracy: 'accuracy' };

interface Prepared {
  events: number;
  driftStartDay: string;
  summaries: Map<string, Row[]>;
  customers: Row[];
  days: string[];
  features: Map<string, Row[]>;
  seconds: number;
}

/** Days → summaries and features, as the daily state machine leaves them (no Parquet round trip). */
function prepare(customers: number): Prepared {
  const started = performance.now();
  const options = { ...defaultChurnGeneratorOptions, customers, days: DAYS, driftStartDay: DRIFT_START };
  const summaries = new Map<string, Row[]>();
  const customerRows: Row[] = [];
  const days: string[] = [];
  let events = 0;
  let driftStartDay = '';
  for (const batch of churnEventDays(options)) {
    const valid: ChurnEvent[] = [];
    for (const record of batch.events) {
      const result = churnRecordSpec.validate(record, Date.now());
      if (result.ok) valid.push(result.value);
    }
    events += batch.events.length;
    const { summaries: daySummaries, customers: dayCustomers } = summarizeDay(
      batch.day,
      mergeDayEvents([], valid).merged,
    );
    summaries.set(batch.day, daySummaries);
    for (const row of dayCustomers) customerRows.push(row);
    days.push(batch.day);
    driftStartDay = batch.truth.driftStartDay;
  }
  const latestDay = days.at(-1) as string;
  const features = new Map<string, Row[]>();
  for (const snapshot of days.slice(29, -1)) {
    const first = addDays(snapshot, -29);
    const window = days.filter((d) => d >= first && d <= snapshot).flatMap((d) => summaries.get(d) ?? []);
    features.set(
      snapshot,
      buildSnapshotFeatures({ snapshot, summaries: window, customers: customerRows, latestDay }),
    );
  }
  return {
    events,
    driftStartDay,
    summaries,
    customers: customerRows,
    days,
    features,
    seconds: (performance.now() - started) / 1000,
  };
}

/** The train handler as it would have run on TRAIN_ON_DAY: only snapshots, churns and labels known then. */
async function trainAsOf(
  data: Prepared,
  latestDay: string,
): Promise<{ model: ChurnModel; holdoutDays: string[] }> {
  const known = data.days.filter((d) => d < latestDay && data.features.has(d));
  const snapshots = trainingSnapshots(known, latestDay, parseTrainingWindow({}));
  const churned = churnDays(data.customers.filter((row) => String(row.day) <= latestDay));
  const rows = snapshots.flatMap((snapshot) =>
    (data.features.get(snapshot) ?? []).map((row) => ({
      ...row,
      label: labelAt(String(row.customer_id), snapshot, churned, latestDay),
    })),
  );
  const split = splitByTime(toLabelledMatrix(rows), defaultTrainingSettings);
  const fitted = await churnModelAdapter(defaultTrainingSettings).fit(split, {});
  if (!fitted.ok) throw new Error(`training failed: ${fitted.reason}`);
  return { model: fitted.model, holdoutDays: [...new Set(split.holdout.snapshots)].sort() };
}

interface Scored {
  day: string;
  rows: Row[];
  probabilities: number[];
  decisions: (0 | 1)[];
}

function scoreDay(model: ChurnModel, day: string, rows: Row[]): Scored {
  const { probabilities, decisions } = scoreCustomers(model, toFeatureMatrix(rows));
  return { day, rows, probabilities, decisions };
}

const PARQUET_COLUMNS: readonly FeatureColumn[] = [
  { name: 'timestamp', type: 'string', nullable: false, description: 'chunk day' },
  ...MODEL_FEATURES.map((name) => ({ name, type: 'double' as const, nullable: true, description: name })),
  { name: 'probability', type: 'double', nullable: false, description: 'calibrated probability' },
  { name: 'decision', type: 'int', nullable: false, description: 'flagged' },
  { name: 'label', type: 'int', nullable: true, description: 'churned within 30 days, null unknown' },
];

function parquetRows(scored: Scored, labels: (0 | 1 | null)[], timestamp: (i: number) => string): Row[] {
  return scored.rows.map((row, i) => {
    const out: Row = {
      timestamp: timestamp(i),
      probability: scored.probabilities[i] as number,
      decision: scored.decisions[i] as number,
      label: labels[i] ?? null,
    };
    for (const name of MODEL_FEATURES)
      out[name] = typeof row[name] === 'number' ? (row[name] as number) : null;
    return out;
  });
}

interface NannymlOutput {
  nannyml: string;
  seconds: { cbpe: number; univariate: number; multivariate: number };
  periods: Record<
    string,
    {
      estimated?: Record<string, number | null>;
      estimatedAlert?: boolean;
      ks?: string[];
      jensenShannon?: string[];
      reconstructionAlert?: boolean;
    }
  >;
}

async function runNannyml(
  reference: Scored,
  referenceLabels: (0 | 1 | null)[],
  analysis: { scored: Scored; labels: (0 | 1 | null)[] }[],
): Promise<NannymlOutput | { skipped: string }> {
  const python = ensureNannymlPython();
  if ('skipped' in python) return python;
  return withTempDir('churn-nannyml-', async (dir): Promise<NannymlOutput | { skipped: string }> => {
    const referenceFile = path.join(dir, 'reference.parquet');
    const analysisFile = path.join(dir, 'analysis.parquet');
    // Ten made-up days, row i on day i mod 10: NannyML's thresholds need several reference chunks.
    const fakeDay = (i: number) => `2000-01-${String((i % 10) + 1).padStart(2, '0')}`;
    writeFileSync(
      referenceFile,
      writeFeatureParquet(parquetRows(reference, referenceLabels, fakeDay) as never, PARQUET_COLUMNS),
    );
    const analysisRows = analysis.flatMap(({ scored, labels }) =>
      parquetRows(scored, labels, () => scored.day),
    );
    writeFileSync(analysisFile, writeFeatureParquet(analysisRows as never, PARQUET_COLUMNS));
    const script = fileURLToPath(new URL('../churn_nannyml.py', import.meta.url));
    const child = spawnSync(python.python, ['-I', script], {
      input: JSON.stringify({ reference: referenceFile, analysis: analysisFile, features: MODEL_FEATURES }),
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      env: python.env,
    });
    if (child.status !== 0)
      return {
        skipped: `nannyml failed: ${(child.stderr || String(child.error)).trim().split('\n').at(-1)}`,
      };
    const lines = child.stdout.trim().split('\n');
    return JSON.parse(lines[lines.length - 1] ?? 'null') as NannymlOutput;
  });
}

function ourFlags(
  result: MonitoringResult,
): Record<string, { period: string; flagged: boolean; why: string }[]> {
  const t = result.thresholds;
  return {
    'PCA reconstruction error': result.periods.map((p) => ({
      period: p.period,
      flagged: p.pca.drifted,
      why: `error ${p.pca.error.toFixed(3)} vs band ≤ ${p.pca.upper.toFixed(3)}`,
    })),
    'PSI per feature': result.periods.map((p) => {
      const drifted = p.features.filter((f) => f.psi > t.psi).map((f) => f.name);
      return { period: p.period, flagged: drifted.length > 0, why: drifted.join(', ') };
    }),
    'KS per feature': result.periods.map((p) => {
      const drifted = p.features
        .filter((f) => f.ksPValue < t.ksPValue && f.ksStatistic >= t.ksMinStatistic)
        .map((f) => f.name);
      return { period: p.period, flagged: drifted.length > 0, why: drifted.join(', ') };
    }),
    'CBPE estimated drop': result.periods.map((p) => {
      const alert = p.alerts.find((a) => a.kind === 'estimated-performance-drop');
      return { period: p.period, flagged: Boolean(alert), why: alert?.reason ?? '' };
    }),
    'realised drop (labels, 30 days late)': result.periods.map((p) => {
      const alert = p.alerts.find((a) => a.kind === 'realised-performance-drop');
      return { period: p.period, flagged: Boolean(alert), why: alert?.reason ?? '' };
    }),
  };
}

export const suite: BenchSuite = {
  name: SUITE,
  description: `churn monitoring: CBPE estimated vs realised ROC-AUC/F1/accuracy, and the day each drift detector flags the injected shift; NannyML on the same data`,
  async run(ctx: BenchContext): Promise<BenchRow[]> {
    const customers = ctx.quick ? 1_500 : 4_000;
    const load = hostLoad();
    ctx.progress(
      `${customers} customers × ${DAYS} days (drift from day ${DRIFT_START}): records → summaries → features`,
    );
    const data = prepare(customers);
    const latestDay = data.days.at(-1) as string;
    const trainDay = data.days[TRAIN_ON_DAY] as string;
    ctx.progress(`training the champion as of ${trainDay}`);
    const { model, holdoutDays } = await trainAsOf(data, trainDay);
    const holdoutDay = holdoutDays.at(-1) as string;

    // Every snapshot after the holdout, scored by the champion; labels as known on the last day.
    const churned = churnDays(data.customers);
    const monitoredDays = [...data.features.keys()].filter((d) => d > holdoutDay).sort();
    const started = performance.now();
    const scored = monitoredDays.map((day) => scoreDay(model, day, data.features.get(day) ?? []));
    const periods = scored.map((s) =>
      monitoredPeriod({
        day: s.day,
        predictions: s.rows.map((row, i) => ({
          customer_id: row.customer_id as string,
          probability: s.probabilities[i] as number,
          decision: s.decisions[i] as number,
        })),
        features: s.rows,
        featureNames: model.featureNames,
        churned,
        latestDay,
      }),
    );
    const result = monitorPeriods(model.reference, periods);
    const monitorSeconds = (performance.now() - started) / 1000;
    const settled = result.periods.filter((p) => p.realised !== null);
    const settledAfterDrift = settled.filter((p) => p.period >= data.driftStartDay);
    const sizeNote =
      `${customers} customers × ${DAYS} days, ${data.events.toLocaleString('en-US')} events (prepared in ${data.seconds.toFixed(0)} s); ` +
      `champion trained on data to ${trainDay} (holdout = reference ${holdoutDay}, ${model.reference.rows} rows); ` +
      `${result.periods.length} monitored days ${monitoredDays[0]}…${monitoredDays.at(-1)}, ${settled.length} with settled labels ` +
      `(${settledAfterDrift.length} after the drift start ${data.driftStartDay}); ~${Math.round(settled.reduce((s, p) => s + p.rows, 0) / Math.max(1, settled.length))} customers a day`;

    const rows: BenchRow[] = [];
    const ourMae = (metric: MonitoredMetric, from?: string) =>
      meanAbsoluteError(
        settled
          .filter((p) => !from || p.period >= from)
          .map((p) => ({ estimated: p.estimated[metric], realised: p.realised?.[metric] })),
      ).mae;
    // Mean signed error: whether the estimate leans high or low, which an absolute error hides.
    const bias = (
      estimate: (p: (typeof settled)[number]) => number | null | undefined,
      metric: MonitoredMetric,
    ) => {
      const pairs = settled.filter(
        (p) => typeof estimate(p) === 'number' && typeof p.realised?.[metric] === 'number',
      );
      return (
        pairs.reduce((s, p) => s + ((estimate(p) as number) - (p.realised?.[metric] as number)), 0) /
        Math.max(1, pairs.length)
      );
    };
    const realisedMean = (metric: MonitoredMetric) =>
      settled.reduce((s, p) => s + ((p.realised?.[metric] as number) ?? 0), 0) / Math.max(1, settled.length);
    rows.push({
      suite: SUITE,
      case: 'CBPE: mean |estimated − realised| over settled days',
      impl: 'ours',
      metrics: {
        ...Object.fromEntries(METRICS.map((m) => [`mae_${m}`, round(ourMae(m) ?? Number.NaN, 4)])),
        ...Object.fromEntries(
          METRICS.map((m) => [`maeAfterDrift_${m}`, round(ourMae(m, data.driftStartDay) ?? Number.NaN, 4)]),
        ),
        ...Object.fromEntries(
          METRICS.map((m) => [
            `bias_${m}`,
            round(
              bias((p) => p.estimated[m], m),
              4,
            ),
          ]),
        ),
        ...Object.fromEntries(METRICS.map((m) => [`realisedMean_${m}`, round(realisedMean(m), 3)])),
        days: settled.length,
        monitorSeconds: round(monitorSeconds, 2),
        // The same gap on the reference itself (its chunks, at training time): a bias visible there
        // is the calibration's, not the monitored days'.
        referenceEstimated_rocAuc: round(model.reference.performance.estimated.rocAuc.mean, 4),
        referenceRealised_rocAuc: round(model.reference.performance.realised.rocAuc.mean, 4),
      },
      note: `${sizeNote}; monitorSeconds = scoring + monitoring every day in this process; ${hostLoad()}`,
    });

    ctx.progress(
      `NannyML: CBPE, univariate and multivariate drift on the same ${result.periods.length} days`,
    );
    const reference = scoreDay(model, holdoutDay, data.features.get(holdoutDay) ?? []);
    const referenceLabels = reference.rows.map((row) =>
      labelAt(String(row.customer_id), holdoutDay, churned, trainDay),
    );
    const nannyml = await runNannyml(
      reference,
      referenceLabels,
      scored.map((s) => ({
        scored: s,
        labels: s.rows.map((row) => labelAt(String(row.customer_id), s.day, churned, latestDay)),
      })),
    );
    if ('skipped' in nannyml) {
      rows.push({
        suite: SUITE,
        case: 'CBPE: mean |estimated − realised| over settled days',
        impl: 'nannyml',
        metrics: {},
        note: `skipped: ${nannyml.skipped}`,
      });
    } else {
      const theirMae = (metric: MonitoredMetric, from?: string) =>
        meanAbsoluteError(
          settled
            .filter((p) => !from || p.period >= from)
            .map((p) => ({
              estimated: nannyml.periods[p.period]?.estimated?.[NANNYML_METRIC[metric] as string],
              realised: p.realised?.[metric],
            })),
        );
      rows.push({
        suite: SUITE,
        case: 'CBPE: mean |estimated − realised| over settled days',
        impl: 'nannyml',
        metrics: {
          ...Object.fromEntries(METRICS.map((m) => [`mae_${m}`, round(theirMae(m).mae ?? Number.NaN, 4)])),
          ...Object.fromEntries(
            METRICS.map((m) => [
              `maeAfterDrift_${m}`,
              round(theirMae(m, data.driftStartDay).mae ?? Number.NaN, 4),
            ]),
          ),
          ...Object.fromEntries(
            METRICS.map((m) => [
              `bias_${m}`,
              round(
                bias((p) => nannyml.periods[p.period]?.estimated?.[NANNYML_METRIC[m] as string], m),
                4,
              ),
            ]),
          ),
          days: theirMae('rocAuc').n,
          monitorSeconds: round(
            nannyml.seconds.cbpe + nannyml.seconds.univariate + nannyml.seconds.multivariate,
            2,
          ),
        },
        note:
          `nannyml ${nannyml.nannyml} (.bench/nannyml-venv, Python 3.12): CBPE fitted on the same reference rows (our calibrated probabilities, decisions, labels known on ${trainDay}), ` +
          `chunks = days; realised values are ours (same labels); seconds: CBPE ${nannyml.seconds.cbpe.toFixed(1)}, univariate ${nannyml.seconds.univariate.toFixed(1)}, multivariate ${nannyml.seconds.multivariate.toFixed(1)}`,
      });
    }

    // Drift: the day each detector first flags on or after the shift's start, and its alarms before.
    const flagRow = (
      detector: string,
      impl: string,
      flags: { period: string; flagged: boolean; why: string }[],
    ) => {
      const timeline = flagTimeline(flags, data.driftStartDay);
      const firstWhy = flags.find((f) => f.period === timeline.firstFlag)?.why ?? '';
      rows.push({
        suite: SUITE,
        case: `drift: ${detector}`,
        impl,
        metrics: {
          driftStart: data.driftStartDay,
          firstFlag: timeline.firstFlag ?? 'never',
          delayDays: timeline.delayDays,
          flaggedDaysBefore: `${timeline.flagsBefore}/${timeline.daysBefore}`,
          flaggedDaysAfter: `${flags.filter((f) => f.period >= data.driftStartDay && f.flagged).length}/${flags.filter((f) => f.period >= data.driftStartDay).length}`,
        },
        note: firstWhy ? `on ${timeline.firstFlag}: ${firstWhy.slice(0, 300)}` : undefined,
      });
    };
    for (const [detector, flags] of Object.entries(ourFlags(result))) flagRow(detector, 'ours', flags);
    if (!('skipped' in nannyml)) {
      const theirs = (pick: (p: NannymlOutput['periods'][string]) => { flagged: boolean; why: string }) =>
        result.periods.map((p) => {
          const entry = nannyml.periods[p.period] ?? {};
          return { period: p.period, ...pick(entry) };
        });
      flagRow(
        'PCA reconstruction error',
        'nannyml',
        theirs((e) => ({
          flagged: Boolean(e.reconstructionAlert),
          why: 'DataReconstructionDriftCalculator alert',
        })),
      );
      flagRow(
        'KS per feature',
        'nannyml',
        theirs((e) => ({ flagged: (e.ks ?? []).length > 0, why: (e.ks ?? []).join(', ') })),
      );
      flagRow(
        'Jensen-Shannon per feature',
        'nannyml',
        theirs((e) => ({
          flagged: (e.jensenShannon ?? []).length > 0,
          why: (e.jensenShannon ?? []).join(', '),
        })),
      );
      flagRow(
        'CBPE estimated drop',
        'nannyml',
        theirs((e) => ({ flagged: Boolean(e.estimatedAlert), why: 'CBPE roc_auc or f1 alert' })),
      );
    }
    rows.push({
      suite: SUITE,
      case: 'machine',
      impl: 'ours',
      metrics: {},
      note: `${load} at the start, ${hostLoad()} at the end`,
    });
    return rows;
  },
};
