import { readSeriesCalendar } from '../data/calendar.js';
import { ARTIFACT_FORMAT, ARTIFACT_VERSION } from './artifact.js';
import { type FitPath, type SarimaxState, STATE_ALGORITHM } from './artifact-state.js';
import { stateSize, validateOrder } from './order.js';
import type { SarimaxArtifact, SarimaxOrder } from './types.js';

/**
 * The loader for a downloaded model: checks the format, the version and that every field a
 * forecast reads is present, finite and of the size the order implies. Returns the artifact
 * typed; throws an Error naming the first problem.
 */
export function validateArtifact(json: unknown): SarimaxArtifact {
  const root = object(json, 'the model');
  if (root.format !== ARTIFACT_FORMAT)
    throw new Error(
      `not a SARIMAX model: format is ${JSON.stringify(root.format)}, expected "${ARTIFACT_FORMAT}"`,
    );
  if (root.version !== ARTIFACT_VERSION)
    throw new Error(
      `unsupported model version ${JSON.stringify(root.version)}; this loader reads version ${ARTIFACT_VERSION}`,
    );

  const rawOrder = object(root.order, 'order');
  const order: SarimaxOrder = {
    p: integer(rawOrder.p, 'order.p'),
    d: integer(rawOrder.d, 'order.d'),
    q: integer(rawOrder.q, 'order.q'),
    P: integer(rawOrder.P, 'order.P'),
    D: integer(rawOrder.D, 'order.D'),
    Q: integer(rawOrder.Q, 'order.Q'),
    s: integer(rawOrder.s, 'order.s'),
  };
  const normal = validateOrder(order);
  if (normal.s !== order.s) throw new Error(`order.s must be 0 without seasonal terms, got ${order.s}`);

  if (!Array.isArray(root.exogNames) || root.exogNames.some((n) => typeof n !== 'string'))
    throw new Error('exogNames must be an array of strings');
  const exogNames = root.exogNames as string[];
  if (!TRANSFORMS.includes(root.transform as never))
    throw new Error(
      `transform must be ${TRANSFORMS.map((t) => `"${t}"`).join(', ')}, got ${JSON.stringify(root.transform)}`,
    );

  const c = object(root.coefficients, 'coefficients');
  const coefficients = {
    ar: numbers(c.ar, 'coefficients.ar', order.p),
    ma: numbers(c.ma, 'coefficients.ma', order.q),
    sar: numbers(c.sar, 'coefficients.sar', order.P),
    sma: numbers(c.sma, 'coefficients.sma', order.Q),
    exog: numbers(c.exog, 'coefficients.exog', exogNames.length),
    mean: finite(c.mean, 'coefficients.mean'),
  };

  const training = object(root.training, 'training');
  for (const key of ['start', 'end'] as const) {
    if (typeof training[key] !== 'string' || Number.isNaN(Date.parse(training[key] as string)))
      throw new Error(`training.${key} must be an ISO-8601 time, got ${JSON.stringify(training[key])}`);
  }
  const stepMs = integer(training.stepMs, 'training.stepMs');
  if (stepMs < 1) throw new Error(`training.stepMs must be positive, got ${stepMs}`);
  // Optional: models written before calendar steps existed have none and step by stepMs.
  const calendar =
    training.calendar === undefined ? undefined : readSeriesCalendar(training.calendar, 'training.calendar');

  return {
    format: ARTIFACT_FORMAT,
    version: ARTIFACT_VERSION,
    order,
    exogNames: [...exogNames],
    transform: root.transform as SarimaxArtifact['transform'],
    coefficients,
    sigma2: finite(root.sigma2, 'sigma2'),
    aic: finite(root.aic, 'aic'),
    logLikelihood: finite(root.logLikelihood, 'logLikelihood'),
    state: { ...readState(root.state, order) },
    training: {
      start: training.start as string,
      end: training.end as string,
      points: integer(training.points, 'training.points'),
      stepMs,
      ...(calendar ? { calendar } : {}),
    },
  };
}

/** The typed filter state, checked against the sizes the order implies. */
export function readState(json: unknown, order: SarimaxOrder): SarimaxState {
  const state = object(json, 'state');
  if (state.algorithm !== STATE_ALGORITHM)
    throw new Error(`state.algorithm must be "${STATE_ALGORITHM}", got ${JSON.stringify(state.algorithm)}`);
  const dim = stateSize(order) + order.d + order.s * order.D;
  const a = numbers(state.a, 'state.a', dim);
  if (!Array.isArray(state.P) || state.P.length !== dim)
    throw new Error(`state.P must be a ${dim} x ${dim} matrix`);
  const P = state.P.map((row: unknown, i) => numbers(row, `state.P[${i}]`, dim));
  const varianceScale = finite(state.varianceScale, 'state.varianceScale');
  if (!(varianceScale > 0)) throw new Error(`state.varianceScale must be positive, got ${varianceScale}`);
  if (!COEFFICIENT_SOURCES.includes(state.coefficientSource as never))
    throw new Error(`state.coefficientSource must be one of ${COEFFICIENT_SOURCES.join(', ')}`);
  if (!Array.isArray(state.droppedExog) || state.droppedExog.some((name) => typeof name !== 'string'))
    throw new Error('state.droppedExog must be an array of regressor names');
  if (!ESTIMATIONS.includes(state.estimation as never))
    throw new Error(`state.estimation must be one of ${ESTIMATIONS.join(', ')}`);
  const fit = state.fit === undefined ? undefined : readFitPath(state.fit);
  return {
    algorithm: STATE_ALGORITHM,
    a,
    P,
    varianceScale,
    coefficientSource: state.coefficientSource as SarimaxState['coefficientSource'],
    droppedExog: [...state.droppedExog],
    estimation: state.estimation as SarimaxState['estimation'],
    ...(fit ? { fit } : {}),
  };
}

const TRANSFORMS: SarimaxArtifact['transform'][] = ['none', 'log1p', 'log'];
const COEFFICIENT_SOURCES: SarimaxState['coefficientSource'][] = ['estimated', 'memory', 'printout'];
const ESTIMATIONS: SarimaxState['estimation'][] = ['exact-ML', 'CSS-MLE', 'MLE'];

function readFitPath(json: unknown): FitPath {
  const fit = object(json, 'state.fit');
  if (fit.path !== 'css' && fit.path !== 'zero') throw new Error('state.fit.path must be "css" or "zero"');
  if (!Array.isArray(fit.starts)) throw new Error('state.fit.starts must be an array');
  if (fit.doubt !== null && typeof fit.doubt !== 'string')
    throw new Error('state.fit.doubt must be a string or null');
  return { path: fit.path, starts: fit.starts as FitPath['starts'], doubt: fit.doubt };
}

function object(value: unknown, name: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error(`${name} must be a JSON object, got ${value === null ? 'null' : typeof value}`);
  return value as Record<string, unknown>;
}

function finite(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new Error(`${name} must be a finite number, got ${JSON.stringify(value)}`);
  return value;
}

function integer(value: unknown, name: string): number {
  const n = finite(value, name);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number >= 0, got ${n}`);
  return n;
}

function numbers(value: unknown, name: string, length: number): number[] {
  if (!Array.isArray(value)) throw new Error(`${name} must be an array of ${length} numbers`);
  if (value.length !== length) throw new Error(`${name} has ${value.length} values, expected ${length}`);
  return value.map((v, i) => finite(v, `${name}[${i}]`));
}
