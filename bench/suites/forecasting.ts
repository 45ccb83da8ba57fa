import { fitSarimax } from '../../core/forecasting/fit.js';
import { forecast } from '../../core/forecasting/forecast.js';
import type { SarimaxOrder, TrainingSeries } from '../../core/forecasting/types.js';
import { pythonHas, runPythonJson } from '../python.js';
import type { BenchContext, BenchRow, BenchSuite } from '../types.js';
import { hourlyWater } from './support/grid-series.js';

/**
 * SARIMAX fit time of ours (exact maximum likelihood, core/forecasting/estimate.ts) against
 * statsmodels SARIMAX on the same hourly water series (same order, same regressors, one thread),
 * and the time to forecast a week from the stored artifact alone. The `sarimax-grid` suite
 * compares the optima on many more cases.
 */
const SUITE = 'forecasting';
const ORDER: SarimaxOrder = { p: 1, d: 0, q: 1, P: 1, D: 1, Q: 1, s: 24 };
const FORECAST_STEPS = 168;
const FORECAST_REPEATS = 50;

/** The grid's hourly water series, with the regressor rows of the week after it. */
function waterSeries(hours: number): { series: TrainingSeries; futureExog: number[][] } {
  const data = hourlyWater(hours + FORECAST_STEPS);
  const [temperature, holiday] = data.exogColumns;
  const exog = data.values.map((_, i) => [temperature[i] as number, holiday[i] as number]);
  return {
    series: {
      timestamps: data.values
        .slice(0, hours)
        .map((_, i) => new Date(Date.parse('2024-01-01T00:00:00Z') + i * 3_600_000).toISOString()),
      values: data.values.slice(0, hours),
      exog: exog.slice(0, hours),
      exogNames: [...data.exogNames],
      stepMs: 3_600_000,
    },
    futureExog: exog.slice(hours, hours + FORECAST_STEPS),
  };
}

const STATSMODELS_SCRIPT = `
import json, sys, time, warnings
import numpy as np
from statsmodels.tsa.statespace.sarimax import SARIMAX
warnings.simplefilter('ignore')
d = json.load(sys.stdin)
o = d['order']
model = SARIMAX(np.asarray(d['values']), exog=np.asarray(d['exog']), order=(o['p'], o['d'], o['q']),
                seasonal_order=(o['P'], o['D'], o['Q'], o['s']))
t0 = time.perf_counter(); fit = model.fit(disp=False); seconds = time.perf_counter() - t0
print(json.dumps({'fitSeconds': seconds, 'aic': float(fit.aic), 'params': [float(x) for x in fit.params]}))
`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

async function runCase(
  hours: number,
  ctx: BenchContext,
  python: ReturnType<typeof pythonHas>,
): Promise<BenchRow[]> {
  const label = `fit ${hours.toLocaleString('en-US')} h (1,0,1)(1,1,1)24 + 2 exog`;
  const { series, futureExog } = waterSeries(hours);
  ctx.progress(`${label}: ours`);
  const outcome = await fitSarimax(series, {
    order: ORDER,
    timeLimitMs: 600_000,
    logTransform: false,
    maxPoints: hours,
  });
  const rows: BenchRow[] = [];
  if (!outcome.ok) {
    rows.push({
      suite: SUITE,
      case: label,
      impl: 'ours (exact ML)',
      metrics: { fitSeconds: null },
      note: outcome.reason,
    });
    return rows;
  }
  const { artifact } = outcome;
  const oursSeconds = outcome.attempts.reduce((sum, a) => sum + a.seconds, 0);
  const fit = artifact.state.fit as { path: string; doubt: string | null } | undefined;
  rows.push({
    suite: SUITE,
    case: label,
    impl: 'ours (exact ML)',
    metrics: { fitSeconds: oursSeconds, aic: artifact.aic, timeRatio: null },
    note: `wall time, both starts included; optimum from the ${fit?.path ?? '?'} start${fit?.doubt ? ' (in doubt)' : ''}; AIC of the exact likelihood of the differenced series, statsmodels' definition`,
  });

  const times: number[] = [];
  for (let i = 0; i < FORECAST_REPEATS; i++) {
    const started = performance.now();
    forecast(artifact, FORECAST_STEPS, futureExog);
    times.push((performance.now() - started) / 1000);
  }
  rows.push({
    suite: SUITE,
    case: `forecast ${FORECAST_STEPS} steps from the artifact (${hours.toLocaleString('en-US')} h fit)`,
    impl: 'ours (artifact)',
    metrics: { forecastSeconds: median(times) },
    note: `median of ${FORECAST_REPEATS}; JSON artifact only, no library`,
  });

  if (!python.ok) {
    rows.push({
      suite: SUITE,
      case: label,
      impl: 'statsmodels',
      metrics: { fitSeconds: null },
      note: `skipped: ${python.reason}`,
    });
    return rows;
  }
  ctx.progress(`${label}: statsmodels`);
  const reference = runPythonJson<{ fitSeconds: number; aic: number }>(STATSMODELS_SCRIPT, {
    values: series.values,
    exog: series.exog,
    order: ORDER,
  });
  rows.push({
    suite: SUITE,
    case: label,
    impl: 'statsmodels',
    metrics: {
      fitSeconds: reference.fitSeconds,
      aic: reference.aic,
      timeRatio: reference.fitSeconds / oursSeconds,
    },
    note: 'timeRatio = statsmodels / ours; one thread; AIC on the same likelihood and parameter count as ours',
  });
  return rows;
}

export const suite: BenchSuite = {
  name: SUITE,
  description: 'SARIMAX fit (ours vs statsmodels) and artifact forecast time on hourly water data',
  async run(ctx) {
    const python = pythonHas(['statsmodels']);
    const sizes = ctx.quick ? [2_000] : [2_000, 6_000];
    const rows: BenchRow[] = [];
    for (const hours of sizes) rows.push(...(await runCase(hours, ctx, python)));
    return rows;
  },
};
