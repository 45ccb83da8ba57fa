import { addSteps } from '../data/calendar.js';
import { type Coefficients, workingValue } from './artifact.js';
import { predictFromState } from './kalman-forecast.js';
import { Z80, Z95 } from './limits.js';
import { stateSpaceCoefficients } from './polynomials.js';
import type { Forecast, SarimaxArtifact } from './types.js';
import { readState } from './validate-artifact.js';
import { validateExogRows } from './validate-series.js';

/** Forecast on the model scale (after the transform): what the library's predict() returns. */
export interface ModelScaleForecast {
  mean: number[];
  /** Forecast error variance (not a standard error). */
  variance: number[];
}

/**
 * Means and variances on the model scale, from the artifact alone. Equals the library's own
 * predict() on the same fit (to ~1e-12 relative, see systems/water/docs/forecasting-model.md).
 */
export function forecastModelScale(
  artifact: SarimaxArtifact,
  horizon: number,
  futureExog: readonly (readonly number[])[],
): ModelScaleForecast {
  if (!(Number.isInteger(horizon) && horizon >= 1))
    throw new Error(`horizon must be a whole number >= 1, got ${horizon}`);
  validateExogRows(futureExog, horizon, artifact.exogNames.length, 'futureExog');
  const state = readState(artifact.state, artifact.order);
  const polynomials = stateSpaceCoefficients(artifact.order, artifact.coefficients);
  const unit = predictFromState(
    polynomials.phi,
    polynomials.theta,
    polynomials.delta,
    state.a,
    state.P,
    horizon,
  );
  // The regression part is added back: mean + Σ beta·x (working = value - that).
  const regression = (i: number) => addBack(artifact, artifact.coefficients, futureExog[i] ?? []);
  return {
    mean: unit.mean.map((m, i) => m + regression(i)),
    variance: unit.mse.map((mse) => mse * state.varianceScale),
  };
}

function addBack(artifact: SarimaxArtifact, coefficients: Coefficients, row: readonly number[]): number {
  return -workingValue(artifact.order, coefficients, 0, row);
}

/**
 * Point forecasts and 80%/95% intervals on the original scale, one step after another from the
 * end of the training window. `futureExog` has one row per step (the regressors, e.g. the
 * temperature forecast and the holiday flag, in `artifact.exogNames` order).
 */
export function forecast(artifact: SarimaxArtifact, horizon: number, futureExog: number[][]): Forecast {
  const model = forecastModelScale(artifact, horizon, futureExog);
  // log1p and log models are back-transformed by expm1 and exp; being monotone they map interval
  // ends to ends (the point forecast becomes the median on the original scale, not the mean).
  const back = BACK_TRANSFORMS[artifact.transform];
  const sd = model.variance.map((v) => Math.sqrt(Math.max(v, 0)));
  const band = (z: number, sign: 1 | -1) => model.mean.map((m, i) => back(m + sign * z * (sd[i] as number)));
  return {
    timestamps: forecastTimes(artifact.training, horizon),
    mean: model.mean.map(back),
    lower80: band(Z80, -1),
    upper80: band(Z80, 1),
    lower95: band(Z95, -1),
    upper95: band(Z95, 1),
  };
}

const BACK_TRANSFORMS: Record<SarimaxArtifact['transform'], (x: number) => number> = {
  none: (x) => x,
  log1p: Math.expm1,
  log: Math.exp,
};

/**
 * The times of the forecast steps: by the calendar when the model has one (month after month),
 * otherwise by `stepMs` as models without a calendar always did.
 */
function forecastTimes(training: SarimaxArtifact['training'], horizon: number): string[] {
  const endMs = Date.parse(training.end);
  const { calendar } = training;
  return Array.from({ length: horizon }, (_, i) =>
    new Date(calendar ? addSteps(endMs, i + 1, calendar) : endMs + (i + 1) * training.stepMs).toISOString(),
  );
}
