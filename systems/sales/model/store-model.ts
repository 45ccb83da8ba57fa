import { validateArtifact } from '../../../core/forecasting/index.js';
import { dateOf } from './dates.js';
import {
  type ForestConfig,
  type ForestState,
  fitForestCandidate,
  forecastForestCandidate,
} from './forest-candidate.js';
import {
  type FitResult,
  fitSarimaxCandidate,
  forecastSarimaxCandidate,
  type SarimaxConfig,
  type SarimaxState,
} from './sarimax-candidate.js';
import { historyTimeline, type Timeline, withPlanned } from './timeline.js';
import {
  CANDIDATE_KINDS,
  type CandidateKind,
  type ForecastPoint,
  type PlannedDay,
  type StoreModel,
  type StoreSeries,
  type TrainingOptions,
} from './types.js';

export const STORE_MODEL_FORMAT = 'sales-store-model';
export const STORE_MODEL_VERSION = 1;
/** Days forecast ahead by default (and the forest's lag: its features are known this far ahead). */
export const DEFAULT_HORIZON = 42;
export const DEFAULT_SEED = 1;

/** A candidate that could not be fitted for a reason in the data (too short, no fit). */
export class CandidateFitError extends Error {
  constructor(
    readonly kind: CandidateKind,
    readonly reason: string,
  ) {
    super(`${kind}: ${reason}`);
    this.name = 'CandidateFitError';
  }
}

/** Fits one family on all of the series' days. Throws CandidateFitError when the data do not allow it. */
export async function fitCandidate(
  kind: CandidateKind,
  series: StoreSeries,
  options: TrainingOptions = {},
): Promise<StoreModel> {
  const outcome = await fitOnTimeline(kind, series, historyTimeline(series), options);
  if (!outcome.ok) throw new CandidateFitError(kind, outcome.reason);
  return outcome.model;
}

/** The fit on a history timeline (a backtest fold's or the whole), with data failures as a reason. */
export async function fitOnTimeline(
  kind: CandidateKind,
  series: StoreSeries,
  history: Timeline,
  options: TrainingOptions,
): Promise<{ ok: true; model: StoreModel } | { ok: false; reason: string }> {
  const horizon = options.horizon ?? DEFAULT_HORIZON;
  let fitted: FitResult<SarimaxConfig | ForestConfig, SarimaxState | ForestState>;
  if (kind === 'sarimax') fitted = await fitSarimaxCandidate(series.profile, history);
  else if (kind === 'forest')
    fitted = fitForestCandidate(
      series.profile,
      history,
      Math.max(DEFAULT_HORIZON, horizon),
      options.seed ?? DEFAULT_SEED,
    );
  else
    throw new Error(
      `unknown candidate kind ${JSON.stringify(kind)}; expected one of ${CANDIDATE_KINDS.join(', ')}`,
    );
  if (!fitted.ok) return fitted;
  return {
    ok: true,
    model: {
      format: STORE_MODEL_FORMAT,
      version: STORE_MODEL_VERSION,
      kind,
      store: series.profile.store,
      trainedThrough: dateOf(history.first + history.lastHistory),
      config: fitted.config as unknown as Record<string, unknown>,
      state: fitted.state,
    },
  };
}

/**
 * Forecasts the planned days after the series' last day, one point per planned day (closed days
 * all 0). The series may run past `model.trainedThrough`: the newer days are used (SARIMAX
 * filters through them, the forest reads its lag features from them) without refitting.
 */
export function forecastStore(
  model: StoreModel,
  series: StoreSeries,
  planned: readonly PlannedDay[],
): ForecastPoint[] {
  const checked = parseStoreModel(model);
  if (series.profile.store !== checked.store)
    throw new Error(`the model is store ${checked.store}'s, the series store ${series.profile.store}'s`);
  return forecastOnTimeline(checked, series, withPlanned(historyTimeline(series), planned), planned);
}

export function forecastOnTimeline(
  model: StoreModel,
  series: StoreSeries,
  timeline: Timeline,
  planned: readonly PlannedDay[],
): ForecastPoint[] {
  const points =
    model.kind === 'sarimax'
      ? forecastSarimaxCandidate(
          series.profile,
          model.config as unknown as SarimaxConfig,
          model.state as SarimaxState,
          timeline,
        )
      : forecastForestCandidate(
          series.profile,
          model.config as unknown as ForestConfig,
          model.state as ForestState,
          timeline,
        );
  // Days the plan skipped were forecast to keep the steps unbroken; only planned days are returned.
  const wanted = new Set(planned.map((p) => p.date));
  return points.filter((p) => wanted.has(p.date));
}

/**
 * A store model from its JSON (text or parsed), checked enough that a forecast will not fail on
 * its shape; throws an error saying what is wrong otherwise.
 */
export function parseStoreModel(json: unknown): StoreModel {
  let value = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json);
    } catch (error) {
      throw new Error(
        `not a store model: the text is not JSON (${error instanceof Error ? error.message : String(error)})`,
      );
    }
  }
  const fail = (what: string): never => {
    throw new Error(`not a store model: ${what}`);
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('expected a JSON object');
  const model = value as Record<string, unknown>;
  if (model.format !== STORE_MODEL_FORMAT)
    fail(`format is ${JSON.stringify(model.format)}, expected "${STORE_MODEL_FORMAT}"`);
  if (model.version !== STORE_MODEL_VERSION)
    fail(`version ${JSON.stringify(model.version)} is not one this code reads (${STORE_MODEL_VERSION})`);
  if (!CANDIDATE_KINDS.includes(model.kind as CandidateKind))
    fail(`kind is ${JSON.stringify(model.kind)}, expected one of ${CANDIDATE_KINDS.join(', ')}`);
  if (!(Number.isInteger(model.store) && (model.store as number) >= 1))
    fail(`store is ${JSON.stringify(model.store)}, expected a whole number ≥ 1`);
  if (typeof model.trainedThrough !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(model.trainedThrough))
    fail(`trainedThrough is ${JSON.stringify(model.trainedThrough)}, expected yyyy-MM-dd`);
  if (typeof model.config !== 'object' || model.config === null) fail('config is missing');
  const state = model.state as Record<string, unknown> | null;
  if (typeof state !== 'object' || state === null) fail('state is missing');
  const checkedState = state as Record<string, unknown>;
  if (model.kind === 'sarimax') {
    try {
      validateArtifact(checkedState.artifact as never);
    } catch (error) {
      fail(`its SARIMAX artifact is invalid (${error instanceof Error ? error.message : String(error)})`);
    }
    if (!Array.isArray((model.config as Record<string, unknown>).regressors))
      fail('config.regressors is missing');
  } else {
    const forest = checkedState.forest as Record<string, unknown> | undefined;
    if (forest?.format !== 'rf-model') fail('state.forest is not a forest (format "rf-model")');
    const residuals = checkedState.residuals as Record<string, unknown> | undefined;
    if (!residuals || !['q025', 'q10', 'q90', 'q975'].every((q) => typeof residuals[q] === 'number'))
      fail('state.residuals needs the numbers q025, q10, q90 and q975');
    if (!Number.isInteger((model.config as Record<string, unknown>).lag)) fail('config.lag is missing');
  }
  return model as unknown as StoreModel;
}
