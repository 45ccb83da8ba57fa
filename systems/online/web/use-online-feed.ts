import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { getJson } from '../../../web/src/api';
import { historyPath, mergeResults, sinceTick } from './feed';
import {
  type HistoryView,
  type MetricsView,
  MODEL_KEYS,
  type ModelKey,
  type OnlineResult,
  type ResultOf,
} from './online-api';

export interface OnlineFeed {
  results: { [M in ModelKey]: ResultOf<M>[] };
  metrics: MetricsView | undefined;
  /** Why the last poll failed; cleared by the next good one. The data shown stays the last good. */
  error: string | undefined;
  /** When the last good poll answered (epoch ms). */
  updatedAt: number | undefined;
  /** Poll once now (the paused tab's button). */
  refreshNow(): void;
}

const EMPTY: OnlineFeed['results'] = { classification: [], regression: [] };

/**
 * The tab's own view of the online models: `/metrics` and, per model, the history since the
 * last tick this tab saw, every `intervalMs` after the previous answer (never two polls at once);
 * `null` stops polling. All state is in the tab: any number of viewers, none known to the server.
 */
export function useOnlineFeed(intervalMs: number | null): OnlineFeed {
  const [results, setResults] = useState(EMPTY);
  const [metrics, setMetrics] = useState<MetricsView | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [updatedAt, setUpdatedAt] = useState<number | undefined>(undefined);
  const [nudge, setNudge] = useState(0);
  const kept = useRef(EMPTY);
  const loadedOnce = useRef(false);
  const handledNudge = useRef(0);

  useEffect(() => {
    // Paused: nothing is asked, but the first look at a tab opened paused and a "Refresh now".
    const asked = nudge !== handledNudge.current;
    handledNudge.current = nudge;
    if (intervalMs === null && loadedOnce.current && !asked) return;
    const controller = new AbortController();
    let timer: number | undefined;
    const poll = async () => {
      try {
        const [nextMetrics, ...histories] = await Promise.all([
          getJson<MetricsView>('/api/online/metrics', controller.signal),
          ...MODEL_KEYS.map((model) => newResults(model, kept.current[model], controller.signal)),
        ]);
        const next = {
          classification: mergeResults(
            kept.current.classification,
            histories[0] as ResultOf<'classification'>[],
          ),
          regression: mergeResults(kept.current.regression, histories[1] as ResultOf<'regression'>[]),
        };
        kept.current = next;
        setResults(next);
        setMetrics(nextMetrics);
        setError(undefined);
        setUpdatedAt(Date.now());
      } catch (failure) {
        if (controller.signal.aborted) return;
        setError((failure as Error).message);
      }
      loadedOnce.current = true;
      if (!controller.signal.aborted && intervalMs !== null) timer = window.setTimeout(poll, intervalMs);
    };
    void poll();
    return () => {
      controller.abort();
      window.clearTimeout(timer);
    };
  }, [intervalMs, nudge]);

  const refreshNow = useCallback(() => setNudge((n) => n + 1), []);
  return { results, metrics, error, updatedAt, refreshNow };
}

/** The model's results after the last one kept; on the first poll, the latest few hundred. */
async function newResults(
  model: ModelKey,
  kept: readonly OnlineResult[],
  signal: AbortSignal,
): Promise<OnlineResult[]> {
  let latestTick = 0;
  if (kept.length === 0) {
    const response = await fetch(`/api/online/${model}/latest`, {
      signal,
      headers: { Accept: 'application/json' },
    });
    // Nothing learned yet: a clear empty state, not an error.
    if (response.status === 404) return [];
    if (!response.ok) throw new Error(await reasonOf(response));
    latestTick = ((await response.json()) as { tick: number }).tick;
  }
  const history = await getJson<HistoryView>(historyPath(model, sinceTick(kept, latestTick)), signal);
  return history.items;
}

async function reasonOf(response: Response): Promise<string> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as { error?: string; message?: string };
    return body.error ?? body.message ?? `${response.status} ${response.statusText}`;
  } catch {
    return `${response.status} ${response.statusText}`;
  }
}
