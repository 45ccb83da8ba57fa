/**
 * The dashboard's plain helpers: the refresh choice in the tab's URL, merging polled history
 * without duplicates, and the figures and text summaries the panels show. No DOM, no fetch.
 */
import type { MetricsView, ModelKey, ModelMetricsView, OnlineResult } from './online-api';

/** How many records each chart keeps: 20 minutes of the source's 2-second rhythm. */
export const KEEP_RESULTS = 600;

export interface RefreshChoice {
  /** Its value in the URL (`?refresh=5s`). */
  key: string;
  label: string;
  /** Milliseconds between polls; null: paused. */
  ms: number | null;
}

export const REFRESH_CHOICES: readonly RefreshChoice[] = [
  { key: '1s', label: 'every second', ms: 1_000 },
  { key: '2s', label: 'every 2 seconds', ms: 2_000 },
  { key: '5s', label: 'every 5 seconds', ms: 5_000 },
  { key: '10s', label: 'every 10 seconds', ms: 10_000 },
  { key: 'paused', label: 'paused', ms: null },
];
const DEFAULT_REFRESH = '2s';

/**
 * The tab's refresh choice: in its own URL, so each tab (and a bookmark, and a reload) keeps its
 * own and the server never hears of it. Anything unknown reads as the default.
 */
export function refreshOf(search: string): RefreshChoice {
  const key = new URLSearchParams(search).get('refresh') ?? DEFAULT_REFRESH;
  return (
    REFRESH_CHOICES.find((c) => c.key === key) ??
    (REFRESH_CHOICES.find((c) => c.key === DEFAULT_REFRESH) as RefreshChoice)
  );
}

/** The same address with another refresh choice (the default is left out of the URL). */
export function withRefresh(pathAndSearch: string, key: string): string {
  const url = new URL(pathAndSearch, 'http://page');
  if (key === DEFAULT_REFRESH) url.searchParams.delete('refresh');
  else url.searchParams.set('refresh', key);
  return url.pathname + url.search;
}

/**
 * The kept results with newer ones added: by tick, each once (a poll's `since` may repeat the
 * last tick seen), the newest `keep`. A tick already kept keeps its first result: a learned
 * record's result never changes.
 */
export function mergeResults<T extends { tick: number }>(
  kept: readonly T[],
  incoming: readonly T[],
  keep = KEEP_RESULTS,
): T[] {
  const last = kept.at(-1)?.tick ?? -1;
  const fresh = incoming.filter((r) => r.tick > last).sort((a, b) => a.tick - b.tick);
  const unique = fresh.filter((r, i) => i === 0 || r.tick !== fresh[i - 1]?.tick);
  if (unique.length === 0) return kept as T[];
  return [...kept, ...unique].slice(-keep);
}

/**
 * Where the next history request starts (`since` is inclusive): after the last tick seen, or, on
 * the first request, far enough before the latest to fill the charts.
 */
export function sinceTick(kept: readonly { tick: number }[], latestTick: number): number {
  const last = kept.at(-1);
  return last ? last.tick + 1 : Math.max(0, latestTick - KEEP_RESULTS + 1);
}

export function historyPath(model: ModelKey, since: number): string {
  return `/api/online/history?model=${model}&since=${since}&limit=5000`;
}

/** A big figure: its label, the exact value (null: not known yet) and how many digits it deserves. */
export interface Figure {
  label: string;
  value: number | null;
  kind: 'ratio' | 'count' | 'amount';
}

const METRIC_LABELS: Record<ModelKey, readonly [string, string][]> = {
  classification: [
    ['accuracy', 'Accuracy'],
    ['f1', 'F1'],
    ['rocAuc', 'ROC-AUC'],
    ['logLoss', 'Log-loss'],
  ],
  regression: [
    ['mae', 'MAE'],
    ['rmse', 'RMSE'],
    ['r2', 'R²'],
  ],
};

/**
 * The model's big figures, straight from `/metrics` (the same numbers the API gives); the latest
 * tick from the history when `/metrics` does not name it.
 */
export function figuresOf(
  model: ModelKey,
  view: ModelMetricsView | null | undefined,
  latestTick?: number,
): Figure[] {
  const metric = (key: string) => {
    const value = view?.metrics?.[key];
    return typeof value === 'number' ? value : null;
  };
  return [
    ...METRIC_LABELS[model].map(
      ([key, label]): Figure => ({
        label,
        value: metric(key),
        kind: key === 'mae' || key === 'rmse' || key === 'logLoss' ? 'amount' : 'ratio',
      }),
    ),
    { label: 'Learned', value: view?.learned ?? null, kind: 'count' },
    { label: 'Drift resets', value: view?.driftResets ?? null, kind: 'count' },
    { label: 'Latest tick', value: view?.tick ?? latestTick ?? null, kind: 'count' },
  ];
}

export function formatFigure(figure: Figure): string {
  if (figure.value === null) return '–';
  if (figure.kind === 'count') return figure.value.toLocaleString('en-US');
  if (figure.kind === 'ratio') return figure.value.toFixed(3);
  return Number(figure.value.toPrecision(4)).toString();
}

/** Whether a model has learned anything, by either source (the metrics or the history). */
export function hasLearned(
  metrics: MetricsView | undefined,
  model: ModelKey,
  results: readonly OnlineResult[],
): boolean {
  return results.length > 0 || (metrics?.models[model]?.learned ?? 0) > 0;
}

const round = (value: number | null | undefined) =>
  value === null || value === undefined ? 'unknown' : Number(value.toPrecision(3)).toString();

/** The predictions chart in words: what it covers and where it ends. */
export function predictionSummary(results: readonly OnlineResult[]): string {
  const first = results[0];
  const last = results.at(-1);
  if (!first || !last) return 'No predictions yet.';
  const span = `${results.length} records, ticks ${first.tick} to ${last.tick}`;
  if (last.model === 'classification') {
    const hits = results.filter((r) => r.model === 'classification' && r.prediction === r.truth).length;
    return `${span}: ${hits} of ${results.length} classified right. Latest: P(class 1) ${round(last.probability)}, true class ${last.truth}.`;
  }
  return `${span}. Latest: predicted ${round(last.prediction)}, target ${round(last.truth)}.`;
}

/** One rolling metric of a result by name (`accuracy`, `mae`, …); null when it has none by that name. */
export function metricOf(result: OnlineResult, key: string): number | null {
  const metrics: Readonly<Record<string, unknown>> = { ...result.metrics };
  const value = metrics[key];
  return typeof value === 'number' ? value : null;
}

/** The rolling-metrics chart in words: the first and latest value of each metric shown. */
export function metricsSummary(results: readonly OnlineResult[]): string {
  const first = results[0];
  const last = results.at(-1);
  if (!first || !last) return 'No metrics yet.';
  const labels = METRIC_LABELS[last.model];
  const parts = labels.map(([key, label]) => {
    return `${label} ${round(metricOf(first, key))} → ${round(metricOf(last, key))}`;
  });
  return `Over ticks ${first.tick} to ${last.tick}: ${parts.join(', ')}.`;
}
