import type { SarimaxState } from '../../../core/forecasting/index.js';
import {
  describeOrder,
  fitSarimax,
  forecast,
  holdoutMetrics,
  validateArtifact,
} from '../../../core/forecasting/index.js';
import type { FitAttempt, SarimaxArtifact, TrainingSeries } from '../../../core/forecasting/types.js';
import {
  FitFailed,
  type FitResult,
  type ModelAdapter,
  type ModelScore,
} from '../../../core/lifecycle/index.js';
import type { ForecastSettings } from './forecast-settings.js';
import { type GapSummary, gapRefusal, summarizeGaps } from './gaps.js';
import type { HourlySeries } from './hourly-series.js';
import { splitHoldout, tail, toTrainingSeries } from './training-series.js';

/**
 * SARIMAX in the shared model lifecycle. Champion and challenger are judged on the same data: the
 * challenger is fitted on the window without its most recent `holdoutHours`, the champion's order
 * is refitted on that same part (so AICs compare), and both forecast the held-out hours. The
 * model served is the challenger's order refitted on the whole window, so it forecasts from the
 * latest hour.
 */
export interface WaterTrainingData {
  /** The trailing window trained on (at most `settings.maxPoints` hours). */
  readonly window: TrainingSeries;
  /** The window without its last `settings.holdoutHours` hours: what both models are fitted on. */
  readonly train: TrainingSeries;
  /** The last `settings.holdoutHours` hours: what both models are scored on. */
  readonly holdout: TrainingSeries;
  /** The window's hours nobody reported (interpolated), reported with every run. */
  readonly gaps: GapSummary;
  readonly settings: ForecastSettings;
}

/** A fitted model and the fit attempts that produced it (a search tries several orders). */
export interface SarimaxModel {
  readonly artifact: SarimaxArtifact;
  readonly attempts: readonly FitAttempt[];
}

/** The shortest training part that still holds a week of history. */
const MIN_TRAIN_HOURS = 24 * 7;

/** The window holds more filled hours than the settings allow: a FitFailed that keeps the numbers. */
export class TooManyFilledHours extends FitFailed {
  constructor(
    message: string,
    readonly gaps: GapSummary,
  ) {
    super(message);
  }
}

/**
 * The data of one training run from the whole hourly series. Throws FitFailed when there is too
 * little of it (no fit could tell a week's pattern from the holdout), and TooManyFilledHours
 * when too much of the window is interpolation rather than readings.
 */
export function trainingData(series: HourlySeries, settings: ForecastSettings): WaterTrainingData {
  const window = tail(toTrainingSeries(series), settings.maxPoints);
  if (window.values.length < settings.holdoutHours + MIN_TRAIN_HOURS)
    throw new FitFailed(
      `${window.values.length} hourly points are too few: need a week plus the ${settings.holdoutHours} h holdout`,
    );
  const gaps = summarizeGaps(
    window.timestamps,
    series.filled.slice(series.filled.length - window.values.length),
    settings.holdoutHours,
  );
  const refusal = gapRefusal(gaps, settings);
  if (refusal) throw new TooManyFilledHours(refusal, gaps);
  return { window, ...splitHoldout(window, settings.holdoutHours), gaps, settings };
}

async function fitOrder(
  series: TrainingSeries,
  order: ForecastSettings['order'],
  settings: ForecastSettings,
): Promise<FitResult<SarimaxModel>> {
  try {
    const outcome = await fitSarimax(series, {
      order,
      timeLimitMs: settings.timeLimitMs,
      maxIterations: settings.maxIterations,
      logTransform: settings.logTransform,
      maxPoints: settings.maxPoints,
    });
    return outcome.ok
      ? { ok: true, model: { artifact: outcome.artifact, attempts: outcome.attempts } }
      : { ok: false, reason: outcome.reason, details: { attempts: outcome.attempts } };
  } catch (error) {
    // fitSarimax throws when the order cannot be fitted on this series at all (too short for it):
    // for this run that is a failed fit, not a fault worth retrying.
    return { ok: false, reason: (error as Error).message };
  }
}

/** Why the fit behind an artifact may not decide a promotion (a second start found more), if so. */
function fitDoubt(artifact: SarimaxArtifact): string | undefined {
  return (artifact.state as unknown as SarimaxState).fit?.doubt ?? undefined;
}

/** The model's forecast of the held-out hours (the holdout's own temperatures and holidays). */
export function holdoutForecast(model: SarimaxModel, data: WaterTrainingData): number[] {
  return forecast(model.artifact, data.holdout.values.length, data.holdout.exog).mean;
}

const finiteOrNull = (x: number) => (Number.isFinite(x) ? x : null);

export const sarimaxAdapter: ModelAdapter<WaterTrainingData, SarimaxModel> = {
  kind: 'sarimax',

  fit: (data) => fitOrder(data.train, data.settings.order, data.settings),

  refitChampion: (champion, data) => fitOrder(data.train, champion.artifact.order, data.settings),

  score(model, data): ModelScore {
    const metrics = holdoutMetrics(data.holdout.values, holdoutForecast(model, data));
    const doubt = fitDoubt(model.artifact);
    return {
      label: describeOrder(model.artifact.order),
      ...(doubt ? { doubt } : {}),
      metrics: {
        holdoutMae: finiteOrNull(metrics.mae),
        holdoutRmse: finiteOrNull(metrics.rmse),
        // NaN when every held-out hour is zero.
        holdoutMape: finiteOrNull(metrics.mape),
        aic: finiteOrNull(model.artifact.aic),
        // Facts of the data both models are scored on, not of the model: they travel with the
        // scores to the decision record and the registry, where a straight line should show.
        filledHours: data.gaps.filledHours,
        longestGapHours: data.gaps.longestGapHours,
      },
    };
  },

  async finalize(challenger, data) {
    const whole = await fitOrder(data.window, challenger.artifact.order, data.settings);
    // A refit that fails on the longer window still leaves a scored model to serve.
    return whole.ok ? { ...whole.model, attempts: challenger.attempts } : challenger;
  },

  describe: ({ artifact }) => ({
    order: describeOrder(artifact.order),
    orderSpec: artifact.order,
    exog: artifact.exogNames,
    transform: artifact.transform,
    sigma2: artifact.sigma2,
    // Fewer points than the window: the refit on the whole window failed, the challenger is served.
    trainingWindow: artifact.training,
  }),

  serialize: (model) => model.artifact,

  deserialize: (artifact) => ({ artifact: validateArtifact(artifact), attempts: [] }),
};
