import { foldOrigins } from '../../systems/sales/model/backtest.js';
import {
  CANDIDATE_KINDS,
  DEFAULT_FOLDS,
  DEFAULT_HORIZON,
  type ForecastPoint,
  fitCandidate,
  forecastStore,
  historyTimeline,
  rmspe,
  type StoreSeries,
  type StoreTrainingReport,
  trainStore,
} from '../../systems/sales/model/index.js';
import { SARIMAX_ORDER, sarimaxExog, sarimaxWindow } from '../../systems/sales/model/sarimax-candidate.js';
import { historyThrough, plannedFrom, withPlanned } from '../../systems/sales/model/timeline.js';
import { defaultSalesGeneratorOptions, salesDays } from '../../systems/sales/records/generator.js';
import type { DailySales, StoreProfile } from '../../systems/sales/records/types.js';
import { pythonHas, runPythonJson } from '../python.js';
import type { BenchContext, BenchRow, BenchSuite } from '../types.js';
import { hostLoad, median, round } from './support/measure.js';

/**
 * The sales system's per-store training job (systems/sales/model: both candidates' rolling-origin
 * backtests, their final fits and the two baselines) on the generator's stores, one store after
 * another on one core: CPU seconds per store, peak memory, and RMSPE across stores for each
 * candidate, the chosen champions and the baselines. statsmodels' SARIMAX fits the same problem
 * (same window, order, regressors, folds) on a sample of stores in the same run.
 *
 * Stores: every 4th of the 1,115 by default (about 80 s of CPU; all of them take about 5 min),
 * `SALES_BENCH_STORES=all` for all of them, or a number for the first N; `--quick` takes 40.
 */
const SUITE = 'sales-models';
const ALL_STORES = 1_115;
const STATSMODELS_SAMPLE = 20;
const QUICK_STATSMODELS_SAMPLE = 4;

function storeSelection(quick: boolean): { stores: number[]; label: string } {
  const asked = process.env.SALES_BENCH_STORES;
  if (asked === 'all') return { stores: range(1, ALL_STORES), label: `all ${ALL_STORES} stores` };
  if (asked && Number.isInteger(Number(asked)) && Number(asked) >= 1) {
    const n = Math.min(ALL_STORES, Number(asked));
    return { stores: range(1, n), label: `stores 1–${n}` };
  }
  if (quick) return { stores: range(1, 40), label: 'stores 1–40 (--quick)' };
  const stores = range(1, ALL_STORES).filter((s) => s % 4 === 1);
  return {
    stores,
    label: `every 4th store (${stores.length} of ${ALL_STORES}; SALES_BENCH_STORES=all for all)`,
  };
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** Each store's profile and days from the generator (clean rows: ingest would quarantine the dirty ones). */
function generatorSeries(lastStore: number, wanted: ReadonlySet<number>): StoreSeries[] {
  const profiles = new Map<number, StoreProfile>();
  const days = new Map<number, DailySales[]>();
  // Day by day, keeping only the wanted stores' rows: a sample does not hold all 1,115 stores' days.
  for (const batch of salesDays({ ...defaultSalesGeneratorOptions, stores: lastStore, dirtyRate: 0 })) {
    for (const record of batch.records as (StoreProfile | DailySales)[]) {
      if (!wanted.has(record.store)) continue;
      if (record.kind === 'store') profiles.set(record.store, record);
      else {
        const list = days.get(record.store) ?? [];
        list.push(record);
        days.set(record.store, list);
      }
    }
  }
  return [...profiles.values()].map((profile) => ({ profile, days: days.get(profile.store) ?? [] }));
}

function percentile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number;
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function cpuSeconds(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
}

const STATSMODELS_SCRIPT = `
import json, sys, time, warnings
import numpy as np
from statsmodels.tsa.statespace.sarimax import SARIMAX
warnings.simplefilter('ignore')
d = json.load(sys.stdin)
o = d['order']
out = []
for store in d['stores']:
    started = time.process_time()
    forecasts = []
    failed = None
    try:
        for fit in store['fits']:
            y = np.log1p(np.asarray(fit['values'], dtype=float))
            X = np.asarray(fit['exog'], dtype=float)
            model = SARIMAX(y, exog=X, order=(o['p'], o['d'], o['q']), seasonal_order=(o['P'], o['D'], o['Q'], o['s']))
            result = model.fit(disp=False)
            if fit['future']:
                mean = result.get_forecast(len(fit['future']), exog=np.asarray(fit['future'], dtype=float)).predicted_mean
                forecasts.append([float(v) for v in np.expm1(mean)])
    except Exception as error:
        failed = str(error)
    out.append({'store': store['store'], 'cpuSeconds': time.process_time() - started, 'forecasts': forecasts, 'failed': failed})
print(json.dumps(out))
`;

interface PythonStore {
  store: number;
  fits: { values: number[]; exog: number[][]; future: number[][] | null }[];
  actual: number[][];
}

/**
 * The fits our SARIMAX candidate makes for a store (each fold's, then the final one), as plain
 * arrays for statsmodels: the same trailing window, the same regressors (minus those constant over
 * the window, which ours leaves out with coefficient 0), the planned days' regressor rows.
 */
function statsmodelsProblem(series: StoreSeries): PythonStore {
  const history = historyTimeline(series);
  const origins = foldOrigins(history, DEFAULT_HORIZON, DEFAULT_FOLDS);
  const fits: PythonStore['fits'] = [];
  const actual: number[][] = [];
  for (const origin of [...origins, history.lastHistory]) {
    const seen = historyThrough(history, history.first + origin);
    const window = sarimaxWindow(series.profile, seen);
    const train = window.series(window.regressors);
    const varying = window.regressors.filter((_, j) => new Set(train.exog.map((row) => row[j])).size > 1);
    const kept = varying.map((name) => window.regressors.indexOf(name));
    const final = origin === history.lastHistory;
    const planned = final ? [] : plannedFrom(history, history.first + origin, DEFAULT_HORIZON);
    const future = withPlanned(seen, planned).days.slice(seen.lastHistory + 1);
    fits.push({
      values: train.values,
      exog: train.exog.map((row) => kept.map((j) => row[j] as number)),
      future: final ? null : sarimaxExog(series.profile, future, varying),
    });
    if (!final) actual.push(future.map((_, h) => historyActual(history, origin + 1 + h)));
  }
  return { store: series.profile.store, fits, actual };
}

function historyActual(history: ReturnType<typeof historyTimeline>, i: number): number {
  const d = history.days[i];
  return d?.recorded && d.open === 1 ? d.sales : 0;
}

async function compareWithStatsmodels(
  sample: readonly StoreSeries[],
  ctx: BenchContext,
): Promise<BenchRow[]> {
  const label = `SARIMAX ${describeOrder()} on ${sample.length} stores, same folds`;
  const python = pythonHas(['statsmodels']);
  // Ours on the same sample: the SARIMAX candidate's backtest and final fit only.
  const oursRmspe: number[] = [];
  const oursCpu: number[] = [];
  for (const series of sample) {
    const started = process.cpuUsage();
    const report = await trainStore(series, { kinds: ['sarimax'] });
    oursCpu.push(cpuSeconds(started));
    const sarimax = report.candidates[0];
    if (sarimax?.ok) oursRmspe.push(sarimax.backtest.rmspe);
  }
  const rows: BenchRow[] = [
    {
      suite: SUITE,
      case: label,
      impl: 'ours (exact ML)',
      metrics: {
        rmspeMedian: median(oursRmspe),
        rmspeMean: mean(oursRmspe),
        cpuSecondsPerStore: median(oursCpu),
        failedStores: sample.length - oursRmspe.length,
      },
      note: `${DEFAULT_FOLDS} backtest fits + the final fit per store; CPU median per store`,
    },
  ];
  if (!python.ok) {
    rows.push({
      suite: SUITE,
      case: label,
      impl: 'statsmodels',
      metrics: { rmspeMedian: null },
      note: `skipped: ${python.reason}`,
    });
    return rows;
  }
  ctx.progress(`${label}: statsmodels`);
  const problems = sample.map(statsmodelsProblem);
  const results = runPythonJson<
    { store: number; cpuSeconds: number; forecasts: number[][]; failed: string | null }[]
  >(STATSMODELS_SCRIPT, {
    order: SARIMAX_ORDER,
    stores: problems.map(({ store, fits }) => ({ store, fits })),
  });
  const theirs: number[] = [];
  results.forEach((result, k) => {
    if (result.failed) return;
    const actual = problems[k]?.actual ?? [];
    theirs.push(rmspe(actual.flat(), result.forecasts.flat()));
  });
  rows.push({
    suite: SUITE,
    case: label,
    impl: 'statsmodels',
    metrics: {
      rmspeMedian: theirs.length > 0 ? median(theirs) : null,
      rmspeMean: theirs.length > 0 ? mean(theirs) : null,
      cpuSecondsPerStore: median(results.map((r) => r.cpuSeconds)),
      failedStores: results.filter((r) => r.failed).length,
    },
    note: 'same window, order and regressors (log1p sales, all days); process CPU per store, one BLAS thread',
  });
  return rows;
}

/**
 * How often the actual sales of the last fold's 42 days fell inside each family's 80% and 95%
 * intervals, over a sample of stores (a model fitted on the days up to the last origin).
 */
async function intervalCoverage(sample: readonly StoreSeries[]): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const kind of CANDIDATE_KINDS) {
    let scored = 0;
    let inside80 = 0;
    let inside95 = 0;
    for (const series of sample) {
      const history = historyTimeline(series);
      const origin = history.lastHistory - DEFAULT_HORIZON;
      const seen: StoreSeries = {
        ...series,
        days: series.days.filter((d) => d.date <= (history.days[origin]?.date ?? '')),
      };
      let points: ForecastPoint[];
      try {
        points = forecastStore(
          await fitCandidate(kind, seen),
          seen,
          plannedFrom(history, history.first + origin, DEFAULT_HORIZON),
        );
      } catch {
        continue;
      }
      points.forEach((p, h) => {
        const actual = historyActual(history, origin + 1 + h);
        if (p.open === 0 || actual <= 0) return;
        scored++;
        if (actual >= p.lo80 && actual <= p.hi80) inside80++;
        if (actual >= p.lo95 && actual <= p.hi95) inside95++;
      });
    }
    rows.push({
      suite: SUITE,
      case: `interval coverage, last fold, ${sample.length} stores`,
      impl: kind,
      metrics: { coverage80: inside80 / scored, coverage95: inside95 / scored, scoredDays: scored },
    });
  }
  return rows;
}

function describeOrder(): string {
  const o = SARIMAX_ORDER;
  return `(${o.p},${o.d},${o.q})(${o.P},${o.D},${o.Q})${o.s}`;
}

export const suite: BenchSuite = {
  name: SUITE,
  description:
    'per-store sales models: CPU per store, RMSPE of both candidates, champions, baselines and statsmodels',
  async run(ctx) {
    const { stores, label } = storeSelection(ctx.quick);
    ctx.progress(`generating ${label}`);
    const all = generatorSeries(Math.max(...stores), new Set(stores));
    const cpu: number[] = [];
    const reports: StoreTrainingReport[] = [];
    const started = performance.now();
    for (const [k, series] of all.entries()) {
      const before = process.cpuUsage();
      reports.push(await trainStore(series));
      cpu.push(cpuSeconds(before));
      if ((k + 1) % 50 === 0) ctx.progress(`${k + 1} of ${all.length} stores`);
    }
    const wallSeconds = (performance.now() - started) / 1000;
    const peakRssMb = process.resourceUsage().maxRSS / 1024;

    const rows: BenchRow[] = [
      {
        suite: SUITE,
        case: `per-store job, ${label}`,
        impl: 'ours',
        metrics: {
          cpuSecondsMedian: median(cpu),
          cpuSecondsP95: percentile(cpu, 0.95),
          cpuSecondsMax: Math.max(...cpu),
          wallSecondsTotal: round(wallSeconds, 1),
          peakRssMb: round(peakRssMb, 0),
        },
        note: `both candidates × (${DEFAULT_FOLDS} backtest folds + final fit) + both baselines, ${DEFAULT_HORIZON}-day horizon, one store after another on one core; target: median ≤ 1 s. Peak RSS of the whole bench process, every store's rows included; ${hostLoad()}`,
      },
    ];

    const candidate = (kind: 'sarimax' | 'forest') => {
      const outcomes = reports.map((r) => r.candidates.find((c) => c.kind === kind));
      const scored = outcomes.flatMap((c) => (c?.ok ? [c.backtest.rmspe] : []));
      const sizes = outcomes.flatMap((c) => (c?.ok ? [JSON.stringify(c.model).length / 1024] : []));
      return {
        suite: SUITE,
        case: `RMSPE across ${reports.length} stores`,
        impl: kind,
        metrics: {
          rmspeMedian: median(scored),
          rmspeMean: mean(scored),
          champions: reports.filter((r) => r.best === kind).length,
          failedStores: outcomes.length - scored.length,
          modelKbMedian: round(median(sizes), 1),
        },
        note: failureSummary(outcomes.flatMap((c) => (c && !c.ok ? [c.reason] : []))),
      } satisfies BenchRow;
    };
    rows.push(candidate('sarimax'), candidate('forest'));
    const champions = reports.flatMap((r) => {
      const best = r.candidates.find((c) => c.kind === r.best);
      return best?.ok ? [best.backtest.rmspe] : [];
    });
    rows.push({
      suite: SUITE,
      case: `RMSPE across ${reports.length} stores`,
      impl: 'champion (lowest backtest RMSPE)',
      metrics: { rmspeMedian: median(champions), rmspeMean: mean(champions), champions: champions.length },
      note: 'chosen on the same folds it is scored on: an optimistic estimate of the champion’s error',
    });
    for (const kind of ['last-year-weekday', 'recent-weekday-mean'] as const) {
      const scored = reports.map((r) => r.baselines[kind].rmspe).filter(Number.isFinite);
      rows.push({
        suite: SUITE,
        case: `RMSPE across ${reports.length} stores`,
        impl: `baseline: ${kind}`,
        metrics: { rmspeMedian: median(scored), rmspeMean: mean(scored) },
      });
    }

    const sampleSize = ctx.quick ? QUICK_STATSMODELS_SAMPLE : STATSMODELS_SAMPLE;
    const step = Math.max(1, Math.floor(all.length / sampleSize));
    const sample = all.filter((_, k) => k % step === 0).slice(0, sampleSize);
    rows.push(...(await intervalCoverage(sample)));
    rows.push(...(await compareWithStatsmodels(sample, ctx)));
    return rows;
  },
};

function failureSummary(reasons: readonly string[]): string | undefined {
  if (reasons.length === 0) return undefined;
  const counts = new Map<string, number>();
  for (const reason of reasons) {
    const key = reason
      .replace(/\d{4}-\d{2}-\d{2}/g, '…')
      .replace(/\d+/g, 'n')
      .slice(0, 90);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([reason, n]) => `${n}× ${reason}`).join('; ');
}
