import { backtestBaseline, backtestCandidate, foldOrigins } from './backtest.js';
import { BASELINE_KINDS } from './baselines.js';
import { DEFAULT_HORIZON, fitOnTimeline } from './store-model.js';
import { historyTimeline } from './timeline.js';
import {
  type Backtest,
  type BaselineKind,
  CANDIDATE_KINDS,
  type CandidateKind,
  type CandidateOutcome,
  type StoreSeries,
  type StoreTrainingReport,
  type TrainingOptions,
} from './types.js';

export const DEFAULT_FOLDS = 3;

/**
 * One store's whole training job: for each candidate family a rolling-origin backtest and the
 * final fit on every day; the baselines on the same folds; the family with the lowest backtest
 * RMSPE as `best`. Data problems (too short a series, a fit that fails) become a candidate with
 * `ok: false` and its reason; only invalid input (days out of order, bad options) throws.
 */
export async function trainStore(
  series: StoreSeries,
  options: TrainingOptions = {},
): Promise<StoreTrainingReport> {
  const horizon = options.horizon ?? DEFAULT_HORIZON;
  const settings = { ...options, horizon };
  const history = historyTimeline(series);
  const origins = foldOrigins(history, horizon, options.folds ?? DEFAULT_FOLDS);
  const kinds = options.kinds ?? CANDIDATE_KINDS;

  const candidates: CandidateOutcome[] = [];
  for (const kind of kinds) candidates.push(await trainCandidate(kind, series, history, origins, settings));

  const baselines = Object.fromEntries(
    BASELINE_KINDS.map((kind) => [kind, backtestBaseline(kind, history, origins, horizon).backtest]),
  ) as Record<BaselineKind, Backtest>;
  const best = bestCandidate(candidates);
  return { store: series.profile.store, candidates, baselines, ...(best ? { best } : {}) };
}

async function trainCandidate(
  kind: CandidateKind,
  series: StoreSeries,
  history: ReturnType<typeof historyTimeline>,
  origins: readonly number[],
  options: TrainingOptions & { horizon: number },
): Promise<CandidateOutcome> {
  if (origins.length === 0)
    return {
      kind,
      ok: false,
      reason: `too short: the series does not hold one backtest fold of ${options.horizon} days`,
    };
  const run = await backtestCandidate(kind, series, history, origins, options);
  if (!run.ok) return { kind, ok: false, reason: run.reason };
  if (!Number.isFinite(run.backtest.rmspe))
    return { kind, ok: false, reason: 'the backtest scored no day (no open day with sales in its folds)' };
  const final = await fitOnTimeline(kind, series, history, options);
  if (!final.ok) return { kind, ok: false, reason: final.reason };
  return { kind, ok: true, backtest: run.backtest, model: final.model };
}

/** Lowest backtest RMSPE among the candidates that fitted; ties go to the earlier kind. */
export function bestCandidate(candidates: readonly CandidateOutcome[]): CandidateKind | undefined {
  let best: { kind: CandidateKind; rmspe: number } | undefined;
  for (const c of candidates) {
    if (!c.ok) continue;
    if (!best || c.backtest.rmspe < best.rmspe) best = { kind: c.kind, rmspe: c.backtest.rmspe };
  }
  return best?.kind;
}
