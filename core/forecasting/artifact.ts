import { type SarimaxState, STATE_ALGORITHM } from './artifact-state.js';
import { finalFilterState } from './kalman-training.js';
import { stateSpaceCoefficients } from './polynomials.js';
import type { SarimaxArtifact, SarimaxOrder } from './types.js';

export const ARTIFACT_FORMAT = 'sarimax-model';
export const ARTIFACT_VERSION = 1;

export type Coefficients = SarimaxArtifact['coefficients'];

/** Model-scale value minus what the regression explains: the series the ARMA part runs on. */
export function workingValue(
  order: SarimaxOrder,
  coefficients: Coefficients,
  value: number,
  row: readonly number[],
): number {
  // ctsa subtracts the mean only without differencing (it is not estimated otherwise).
  let working = order.d + order.D === 0 ? value - coefficients.mean : value;
  coefficients.exog.forEach((beta, j) => {
    working -= beta * (row[j] as number);
  });
  return working;
}

export interface ArtifactInput {
  order: SarimaxOrder;
  exogNames: string[];
  transform: SarimaxArtifact['transform'];
  coefficients: Coefficients;
  sigma2: number;
  aic: number;
  logLikelihood: number;
  coefficientSource: SarimaxState['coefficientSource'];
  droppedExog: string[];
  estimation: SarimaxState['estimation'];
  fit?: SarimaxState['fit'];
  /** The fitted window on the model scale (after the transform), with its regressor rows. */
  values: readonly number[];
  exogRows: readonly (readonly number[])[];
  timestamps: readonly string[];
  stepMs: number;
}

/** Runs the filter over the fitted window and packages everything a forecast needs. */
export function buildArtifact(input: ArtifactInput): SarimaxArtifact {
  const { order, coefficients } = input;
  const working = input.values.map((value, i) =>
    workingValue(order, coefficients, value, input.exogRows[i] ?? []),
  );
  const filtered = finalFilterState(stateSpaceCoefficients(order, coefficients), working);
  const state: SarimaxState = {
    algorithm: STATE_ALGORITHM,
    a: filtered.a,
    P: filtered.P,
    varianceScale: filtered.varianceScale,
    coefficientSource: input.coefficientSource,
    droppedExog: [...input.droppedExog],
    estimation: input.estimation,
    ...(input.fit ? { fit: input.fit } : {}),
  };
  const finite = [...state.a, ...state.P.flat(), state.varianceScale].every(Number.isFinite);
  if (!finite || !(state.varianceScale > 0))
    throw new Error('the Kalman filter over the window gave a non-finite state (unstable coefficients)');
  return {
    format: ARTIFACT_FORMAT,
    version: ARTIFACT_VERSION,
    order: { ...order },
    exogNames: [...input.exogNames],
    transform: input.transform,
    coefficients: {
      ar: [...coefficients.ar],
      ma: [...coefficients.ma],
      sar: [...coefficients.sar],
      sma: [...coefficients.sma],
      exog: [...coefficients.exog],
      mean: coefficients.mean,
    },
    sigma2: input.sigma2,
    aic: input.aic,
    logLikelihood: input.logLikelihood,
    state: { ...state },
    training: {
      start: input.timestamps[0] ?? '',
      end: input.timestamps.at(-1) ?? '',
      points: input.values.length,
      stepMs: input.stepMs,
    },
  };
}
