import { type RandomForestModelJson, RandomForestRegressor } from '../../../core/ml/forest/index.js';
import { FOREST_FEATURES, featureContext, featureRow } from './forest-features.js';
import { outOfBagPredictions } from './out-of-bag.js';
import { quantile } from './quantile.js';
import { closedPoint, type FitResult } from './sarimax-candidate.js';
import type { Timeline } from './timeline.js';
import type { ForecastPoint, StoreProfile } from './types.js';

/**
 * A random forest per store on calendar, plan, profile and lag features (forest-features.ts),
 * predicting log(sales) as a deviation from the store's recent level.
 *
 * Intervals come from the quantiles of the out-of-bag residuals on the log scale: each training
 * row is predicted by the trees that never saw it, so its residual is an honest out-of-sample
 * error, and since every feature is one a forecast `lag` days ahead also has, that error is the
 * one a forecast makes. Leaf samples (a quantile regression forest) would need every leaf's
 * training targets in the model, which the forest's format does not keep and which would multiply
 * its size; the residuals cost four numbers.
 */
export const FOREST_OPTIONS = {
  nTrees: 40,
  minSamplesLeaf: 10,
  maxFeatures: 0.5,
  maxBins: 64,
} as const;

/** Training rows (open days with a level) needed at least. */
export const FOREST_MIN_ROWS = 100;

export interface ForestConfig {
  readonly features: readonly string[];
  readonly lag: number;
  readonly nTrees: number;
  readonly minSamplesLeaf: number;
  readonly maxFeatures: number;
  readonly seed: number;
  readonly target: 'log(sales) - level';
}

export interface ForestState {
  readonly forest: RandomForestModelJson;
  /** Quantiles of the out-of-bag residuals (log scale) at 2.5%, 10%, 90% and 97.5%. */
  readonly residuals: {
    readonly q025: number;
    readonly q10: number;
    readonly q90: number;
    readonly q975: number;
  };
  readonly trainingRows: number;
}

export function fitForestCandidate(
  profile: StoreProfile,
  history: Timeline,
  lag: number,
  seed: number,
): FitResult<ForestConfig, ForestState> {
  const context = featureContext(profile, history, lag);
  const features: number[][] = [];
  const targets: number[] = [];
  for (let i = 0; i <= history.lastHistory; i++) {
    const value = context.logSales[i] as number;
    if (Number.isNaN(value)) continue;
    const { row, level } = featureRow(context, i);
    if (Number.isNaN(level)) continue;
    features.push(row);
    targets.push(value - level);
  }
  if (features.length < FOREST_MIN_ROWS)
    return {
      ok: false,
      reason: `too short: ${features.length} open days with ${lag} days of history before them, the forest needs at least ${FOREST_MIN_ROWS}`,
    };
  const config: ForestConfig = {
    features: [...FOREST_FEATURES],
    lag,
    nTrees: FOREST_OPTIONS.nTrees,
    minSamplesLeaf: FOREST_OPTIONS.minSamplesLeaf,
    maxFeatures: FOREST_OPTIONS.maxFeatures,
    seed,
    target: 'log(sales) - level',
  };
  try {
    const forest = new RandomForestRegressor({
      ...FOREST_OPTIONS,
      seed,
      oobScore: true,
      featureNames: [...FOREST_FEATURES],
    }).fit(features, targets);
    const json = forest.toJSON();
    const oob = outOfBagPredictions(json, features, targets);
    const residuals = targets.map((y, r) => y - (oob[r] as number));
    return {
      ok: true,
      config,
      state: {
        forest: json,
        residuals: {
          q025: quantile(residuals, 0.025),
          q10: quantile(residuals, 0.1),
          q90: quantile(residuals, 0.9),
          q975: quantile(residuals, 0.975),
        },
        trainingRows: features.length,
      },
    };
  } catch (error) {
    return {
      ok: false,
      reason: `the forest did not fit: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

export function forecastForestCandidate(
  profile: StoreProfile,
  config: ForestConfig,
  state: ForestState,
  timeline: Timeline,
): ForecastPoint[] {
  const forest = RandomForestRegressor.fromJSON(state.forest);
  const context = featureContext(profile, timeline, config.lag);
  const future = timeline.days.slice(timeline.lastHistory + 1);
  const rows = future.map((_, k) => featureRow(context, timeline.lastHistory + 1 + k));
  const open = rows.filter((_, k) => future[k]?.open === 1);
  const predicted = open.length > 0 ? forest.predict(open.map((r) => r.row)) : [];
  const { q025, q10, q90, q975 } = state.residuals;
  let next = 0;
  return future.map((d, k) => {
    if (d.open === 0) return closedPoint(d.date);
    const { level } = rows[k] as { level: number };
    const center = level + (predicted[next++] as number);
    // Quantiles are ordered, but a residual distribution off-centre could put the point forecast
    // outside its own 80% band; the band is widened to contain it so intervals always nest.
    const mean = Math.exp(center);
    if (!Number.isFinite(mean))
      throw new Error(
        `no recent sales to forecast ${d.date} from: the store has no level ${config.lag} days before it`,
      );
    return {
      date: d.date,
      open: 1,
      mean,
      lo80: Math.min(mean, Math.exp(center + q10)),
      hi80: Math.max(mean, Math.exp(center + q90)),
      lo95: Math.min(mean, Math.exp(center + q025)),
      hi95: Math.max(mean, Math.exp(center + q975)),
    };
  });
}
