import { gaussian, seededRandom } from '../../../core/data/seeded-random.js';
import { EXACT_MLE, runLibraryFit } from '../../../core/forecasting/library-fit.js';
import type { SarimaxArtifact, SarimaxOrder, TrainingSeries } from '../../../core/forecasting/types.js';

const HOUR_MS = 3_600_000;
const START_MS = Date.parse('2024-01-01T00:00:00Z');

export interface SyntheticSeries {
  series: TrainingSeries;
  /** Regressor rows for the hours after the series. */
  futureExog: number[][];
  futureValues: number[];
}

/**
 * Hourly consumption-like data: daily cycle, temperature effect, a holiday every 9th day (so
 * every window sees holidays), ARMA(1,1) noise and a slow random-walk level. Deterministic.
 */
export function syntheticHourly(points: number, seed = 11, future = 48): SyntheticSeries {
  const random = seededRandom(seed);
  const values: number[] = [];
  const exog: number[][] = [];
  let ar = 0;
  let previousShock = 0;
  let level = 0;
  for (let i = 0; i < points + future; i++) {
    const hour = i % 24;
    const temperature = 12 + 6 * Math.sin((2 * Math.PI * (hour - 9)) / 24) + 2 * gaussian(random);
    const holiday = Math.floor(i / 24) % 9 === 0 ? 1 : 0;
    const shock = gaussian(random);
    ar = 0.6 * ar + shock + 0.3 * previousShock;
    previousShock = shock;
    level += 0.02 * gaussian(random);
    values.push(50 + level + 8 * Math.sin((2 * Math.PI * hour) / 24) + 0.5 * temperature + 3 * holiday + ar);
    exog.push([temperature, holiday]);
  }
  return {
    series: {
      timestamps: Array.from({ length: points }, (_, i) => new Date(START_MS + i * HOUR_MS).toISOString()),
      values: values.slice(0, points),
      exog: exog.slice(0, points),
      exogNames: ['temperature', 'holiday'],
      stepMs: HOUR_MS,
    },
    futureExog: exog.slice(points),
    futureValues: values.slice(points),
  };
}

/** The same series without regressors. */
export function withoutExog(series: TrainingSeries): TrainingSeries {
  return { ...series, exog: [], exogNames: [] };
}

/**
 * The library's own predict() for the artifact's coefficients: the library fits the same window,
 * transform and order, our coefficients are written over its own, and it predicts. The
 * coefficients it returns are read back from its memory after predicting (callers check they are
 * the artifact's).
 */
export async function libraryPrediction(
  series: TrainingSeries,
  artifact: SarimaxArtifact,
  horizon: number,
  futureExog: number[][],
): Promise<{ mean: number[]; variance: number[]; coefficients: SarimaxArtifact['coefficients'] }> {
  const from = series.values.length - artifact.training.points;
  const window = series.values.slice(from);
  const values = artifact.transform === 'log1p' ? window.map(Math.log1p) : window;
  const columns = (rows: number[][]) => artifact.exogNames.map((_, j) => rows.map((row) => row[j] as number));
  const order: SarimaxOrder = artifact.order;
  const result = await runLibraryFit({
    values,
    exogColumns: columns(series.exog.slice(from)),
    order,
    timeLimitMs: 60_000,
    // Exact MLE: its own estimates do not matter here, only a struct of the right shape.
    method: EXACT_MLE,
    predict: { horizon, exogColumns: columns(futureExog), coefficients: artifact.coefficients },
  });
  if (!result.library || !result.heap) throw new Error(`reference predict failed: ${result.reason}`);
  const { ar, ma, sar, sma, exog, mean } = result.heap;
  return { ...result.library, coefficients: { ar, ma, sar, sma, exog, mean } };
}

/** Largest absolute and relative (to max(1, |reference|)) difference. */
export function maxDifference(ours: number[], reference: number[]): { absolute: number; relative: number } {
  let absolute = 0;
  let relative = 0;
  reference.forEach((r, i) => {
    const diff = Math.abs((ours[i] as number) - r);
    absolute = Math.max(absolute, diff);
    relative = Math.max(relative, diff / Math.max(1, Math.abs(r)));
  });
  return { absolute, relative };
}
