import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fitSarimax } from '../../core/forecasting/fit.js';
import {
  CSS_MLE,
  EXACT_MLE,
  type LibraryFitResult,
  runLibraryFit,
} from '../../core/forecasting/library-fit.js';
import { describeOrder } from '../../core/forecasting/order.js';
import type { SarimaxArtifact, SarimaxOrder, TrainingSeries } from '../../core/forecasting/types.js';
import { REPO_ROOT } from '../../lib/config/repo-root.js';
import { pythonHas, runPythonJson } from '../python.js';
import type { BenchContext, BenchRow, BenchSuite } from '../types.js';
import { type GridPoint, renderGridPicture } from './support/grid-picture.js';
import { type GridSeries, hourlyWater, seasonalSeries } from './support/grid-series.js';
import { hostLoad, median } from './support/measure.js';

/**
 * Does our SARIMAX fit reach the optimum statsmodels reaches, and how much faster? For every case
 * of a grid (series family × length × order × with or without regressors) it fits the same data
 * three ways: ours (exact ML, estimate.ts), statsmodels' SARIMAX (its defaults, one thread), and
 * the `arima` library's own fit (CSS-MLE, exact MLE when that fails: the path ours replaced).
 * Every fit's log-likelihood is computed on ONE definition, statsmodels' `loglike` at the fit's
 * coefficients, so the numbers compare. A case passes when ours is at least statsmodels' minus
 * 0.1% of its magnitude.
 */
const SUITE = 'sarimax-grid';

interface Family {
  name: string;
  /** Seasonal period of the data. */
  s: number;
  lengths: number[];
  quickLengths: number[];
  series(points: number): GridSeries;
}

const FAMILIES: Family[] = [
  {
    name: 'hourly water',
    s: 24,
    lengths: [200, 500, 1_000, 2_000, 4_000, 7_000],
    quickLengths: [500, 2_000],
    series: hourlyWater,
  },
  {
    name: 'daily',
    s: 7,
    lengths: [200, 500, 1_000, 2_000, 4_000, 7_000],
    quickLengths: [500],
    series: (points) => seasonalSeries(points, 7, 31),
  },
  {
    name: 'monthly',
    s: 12,
    lengths: [200, 500, 1_000],
    quickLengths: [200],
    series: (points) => seasonalSeries(points, 12, 41),
  },
];

/** Without seasonal terms (with a mean), the airline model, and two richer seasonal ones. */
function ordersFor(s: number): SarimaxOrder[] {
  return [
    { p: 1, d: 0, q: 1, P: 0, D: 0, Q: 0, s: 0 },
    { p: 0, d: 1, q: 1, P: 0, D: 1, Q: 1, s },
    { p: 1, d: 0, q: 1, P: 1, D: 1, Q: 1, s },
    { p: 2, d: 0, q: 2, P: 1, D: 1, Q: 1, s },
  ];
}

interface GridCase {
  label: string;
  order: SarimaxOrder;
  values: number[];
  /** Regressor columns as statsmodels gets them: a column of ones first when the model has a mean. */
  exog: number[][];
  ours: { seconds: number; params: number[]; path: string; doubt: boolean } | { failed: string };
  library: { seconds: number; params: number[] | null; method: string; reason?: string };
}

interface Reference {
  seconds: number;
  llf: number;
  params: number[];
  ours: number | null;
  library: number | null;
}

const STATSMODELS_SCRIPT = `
import json, sys, time, warnings
import numpy as np
from statsmodels.tsa.statespace.sarimax import SARIMAX
warnings.simplefilter('ignore')
out = []
for c in json.load(sys.stdin):
    o = c['order']
    exog = np.asarray(c['exog']).T if c['exog'] else None
    seasonal = (o['P'], o['D'], o['Q'], o['s']) if o['s'] else (0, 0, 0, 0)
    model = SARIMAX(np.asarray(c['values']), exog=exog, order=(o['p'], o['d'], o['q']), seasonal_order=seasonal)
    t0 = time.perf_counter(); fit = model.fit(disp=False); seconds = time.perf_counter() - t0
    def loglike(params):
        if params is None: return None
        value = float(model.loglike(np.asarray(params)))
        return value if np.isfinite(value) else None
    out.append({'seconds': seconds, 'llf': float(fit.llf), 'params': [float(v) for v in fit.params],
                'ours': loglike(c['ours']), 'library': loglike(c['library'])})
print(json.dumps(out))
`;

/** statsmodels' parameter vector: regression (mean first), AR, MA in its sign, SAR, SMA, sigma². */
function statsmodelsParams(
  coefficients: { ar: number[]; ma: number[]; sar: number[]; sma: number[]; exog: number[]; mean: number },
  hasMean: boolean,
  sigma2: number,
): number[] {
  return [
    ...(hasMean ? [coefficients.mean] : []),
    ...coefficients.exog,
    ...coefficients.ar,
    ...coefficients.ma.map((v) => -v),
    ...coefficients.sar,
    ...coefficients.sma.map((v) => -v),
    sigma2,
  ];
}

function trainingSeries(series: GridSeries, withExog: boolean): TrainingSeries {
  const start = Date.parse('2020-01-01T00:00:00Z');
  return {
    timestamps: series.values.map((_, i) => new Date(start + i * 3_600_000).toISOString()),
    values: series.values,
    exog: withExog
      ? series.values.map((_, i) => series.exogColumns.map((column) => column[i] as number))
      : [],
    exogNames: withExog ? [...series.exogNames] : [],
    stepMs: 3_600_000,
  };
}

async function oursFit(series: TrainingSeries, order: SarimaxOrder): Promise<GridCase['ours']> {
  const outcome = await fitSarimax(series, {
    order,
    timeLimitMs: 600_000,
    logTransform: false,
    maxPoints: 15_000,
  });
  if (!outcome.ok) return { failed: outcome.reason };
  const artifact: SarimaxArtifact = outcome.artifact;
  const fit = (artifact.state as { fit?: { path: string; doubt: string | null } }).fit;
  return {
    seconds: outcome.seconds,
    params: statsmodelsParams(artifact.coefficients, order.d + order.D === 0, artifact.sigma2),
    path: fit?.path ?? '?',
    doubt: Boolean(fit?.doubt),
  };
}

/** The library's fit as the forecasting core used it before: CSS-MLE, exact MLE on a failed return code. */
async function libraryFit(series: TrainingSeries, order: SarimaxOrder): Promise<GridCase['library']> {
  const exogColumns = series.exogNames.map((_, j) => series.exog.map((row) => row[j] as number));
  const request = { values: series.values, exogColumns, order, timeLimitMs: 600_000 };
  let result: LibraryFitResult = await runLibraryFit({ ...request, method: CSS_MLE });
  let seconds = result.seconds;
  let method = 'CSS-MLE';
  if (!result.ok && result.reason?.startsWith('return code')) {
    result = await runLibraryFit({ ...request, method: EXACT_MLE });
    seconds += result.seconds;
    method = 'CSS-MLE failed, MLE';
  }
  if (!result.ok || !result.heap)
    return { seconds, params: null, method, reason: result.reason ?? 'no model' };
  return {
    seconds,
    params: statsmodelsParams(result.heap, order.d + order.D === 0, result.heap.sigma2),
    method,
  };
}

function pythonCase(gridCase: GridCase) {
  return {
    order: gridCase.order,
    values: gridCase.values,
    exog: gridCase.exog,
    ours: 'failed' in gridCase.ours ? null : gridCase.ours.params,
    library: gridCase.library.params,
  };
}

function coefficientGap(ours: number[], reference: number[]): number {
  // sigma² (last) is left out: it is not a coefficient and scales with the data.
  let gap = 0;
  for (let i = 0; i < reference.length - 1; i++)
    gap = Math.max(gap, Math.abs((ours[i] as number) - (reference[i] as number)));
  return gap;
}

function caseRow(
  gridCase: GridCase,
  reference: Reference | null,
): BenchRow & { passed: boolean | null; ratio: number | null } {
  const ours = gridCase.ours;
  const metrics: BenchRow['metrics'] = {};
  let note = `library: ${gridCase.library.method}${gridCase.library.reason ? ` (${gridCase.library.reason})` : ''}`;
  let passed: boolean | null = null;
  let ratio: number | null = null;
  if ('failed' in ours) {
    metrics.oursSeconds = null;
    note = `ours failed: ${ours.failed}; ${note}`;
    passed = false;
  } else {
    metrics.oursSeconds = ours.seconds;
    note = `path ${ours.path}${ours.doubt ? ' (in doubt)' : ''}; ${note}`;
  }
  if (reference) {
    metrics.statsmodelsSeconds = reference.seconds;
    if (!('failed' in ours)) {
      ratio = reference.seconds / ours.seconds;
      metrics.timeRatio = ratio;
    }
    metrics.statsmodelsLogLik = reference.llf;
    metrics.oursLogLik = reference.ours;
    metrics.libraryLogLik = reference.library;
    if (reference.ours !== null) {
      metrics.gapPercent = ((reference.ours - reference.llf) / Math.abs(reference.llf)) * 100;
      passed = reference.ours >= reference.llf - 0.001 * Math.abs(reference.llf);
    } else passed = false;
    if (!('failed' in ours)) metrics.coefficientGap = coefficientGap(ours.params, reference.params);
    metrics.pass = passed ? 'yes' : 'NO';
  }
  metrics.librarySeconds = gridCase.library.seconds;
  return { suite: SUITE, case: gridCase.label, impl: 'ours vs statsmodels', metrics, note, passed, ratio };
}

export const suite: BenchSuite = {
  name: SUITE,
  description:
    'SARIMAX optimum and time: ours vs statsmodels vs the arima library, log-likelihoods on statsmodels’ definition',
  async run(ctx: BenchContext) {
    const python = pythonHas(['statsmodels']);
    const rows: (BenchRow & { passed: boolean | null; ratio: number | null })[] = [];
    const oursSeconds: number[] = [];
    const referenceSeconds: number[] = [];
    const pictured: GridPoint[] = [];
    const loadAtStart = hostLoad();
    for (const family of FAMILIES) {
      for (const points of ctx.quick ? family.quickLengths : family.lengths) {
        const data = family.series(points);
        const cases: GridCase[] = [];
        const references: (Reference | null)[] = [];
        for (const order of ordersFor(family.s)) {
          for (const withExog of [true, false]) {
            const label = `${family.name} ${points.toLocaleString('en-US')} ${describeOrder(order)}${withExog ? ' + 2 exog' : ''}`;
            ctx.progress(`${label}: ours, library${python.ok ? ', statsmodels' : ''}`);
            const series = trainingSeries(data, withExog);
            const ours = await oursFit(series, order);
            const library = await libraryFit(series, order);
            const hasMean = order.d + order.D === 0;
            const exog = [
              ...(hasMean ? [series.values.map(() => 1)] : []),
              ...(withExog ? data.exogColumns : []),
            ];
            const gridCase: GridCase = { label, order, values: series.values, exog, ours, library };
            cases.push(gridCase);
            if (!('failed' in ours)) oursSeconds.push(ours.seconds);
            // Right after ours, one case per Python process: both run under the same load, so
            // the time ratio holds even on a machine shared with other work.
            const reference = python.ok
              ? (runPythonJson<Reference[]>(STATSMODELS_SCRIPT, [pythonCase(gridCase)])[0] ?? null)
              : null;
            if (reference) referenceSeconds.push(reference.seconds);
            references.push(reference);
          }
        }
        cases.forEach((c, i) => {
          const reference = references[i] ?? null;
          rows.push(caseRow(c, reference));
          if (reference && reference.ours !== null && !('failed' in c.ours))
            pictured.push({
              family: family.name,
              label: c.label,
              oursSeconds: c.ours.seconds,
              statsmodelsSeconds: reference.seconds,
              oursGapPercent: ((reference.ours - reference.llf) / Math.abs(reference.llf)) * 100,
              libraryGapPercent:
                reference.library === null
                  ? null
                  : ((reference.library - reference.llf) / Math.abs(reference.llf)) * 100,
            });
        });
      }
    }
    if (pictured.length > 0) {
      const file = path.join(REPO_ROOT, '.bench', 'sarimax-grid.svg');
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(
        file,
        renderGridPicture(pictured, `SARIMAX grid: ${pictured.length} cases, ours vs statsmodels`),
      );
      ctx.progress(`picture: ${path.relative(process.cwd(), file)}`);
    }
    const judged = rows.filter((row) => row.passed !== null);
    const ratios = rows.flatMap((row) => (row.ratio === null ? [] : [row.ratio]));
    const summary: BenchRow = {
      suite: SUITE,
      case: `all ${rows.length} cases`,
      impl: 'summary',
      metrics: {
        oursSeconds: oursSeconds.length ? median(oursSeconds) : null,
        statsmodelsSeconds: referenceSeconds.length ? median(referenceSeconds) : null,
        timeRatio: ratios.length ? median(ratios) : null,
        pass: python.ok ? `${judged.filter((row) => row.passed).length}/${judged.length}` : null,
      },
      note: python.ok
        ? `seconds: medians over the cases; timeRatio: median of statsmodels / ours per case (each pair run back to back); pass: ours ≥ statsmodels − 0.1% of |log-likelihood|; ${loadAtStart} at the start, ${hostLoad()} at the end`
        : `statsmodels skipped: ${python.reason}`,
    };
    return [...rows.map(({ passed: _p, ratio: _r, ...row }) => row), summary];
  },
};
