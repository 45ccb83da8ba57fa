import { useEffect, useState } from 'preact/hooks';
import { type Answer, type ForecastView, fetchAnswer, type HistoryView, salesPaths } from './sales-api';

/**
 * One store's history and forecast, as the page explains them: `no-data` (no row of the store
 * has arrived), `no-champion` (history, but no model yet: the chart shows the history alone),
 * `error` (the API failed: its reason, as text).
 */
export type StoreDetail =
  | { readonly state: 'loading'; readonly store: number }
  | { readonly state: 'no-data'; readonly store: number; readonly reason: string }
  | {
      readonly state: 'no-champion';
      readonly store: number;
      readonly history: HistoryView;
      readonly reason: string;
    }
  | {
      readonly state: 'ready';
      readonly store: number;
      readonly history: HistoryView;
      readonly forecast: ForecastView;
    }
  | { readonly state: 'error'; readonly store: number; readonly reason: string };

/** What the two answers mean together (pure: the page's states in one place). */
export function detailOf(
  store: number,
  history: Answer<HistoryView>,
  forecast: Answer<ForecastView>,
): StoreDetail {
  if (!history.ok) {
    if (history.status === 404) return { state: 'no-data', store, reason: history.error };
    return { state: 'error', store, reason: history.error };
  }
  if (forecast.ok) return { state: 'ready', store, history: history.data, forecast: forecast.data };
  // The forecast's 404 is either "no champion yet" or "no profile yet" (days without a profile).
  if (forecast.status === 404 && /champion/i.test(forecast.error))
    return { state: 'no-champion', store, history: history.data, reason: forecast.error };
  if (forecast.status === 404) return { state: 'no-data', store, reason: forecast.error };
  return { state: 'error', store, reason: forecast.error };
}

/**
 * Loads the store's history and forecast when the store changes, and again when `version`
 * changes (newer data or a training run: the page passes what the health says about both).
 */
export function useStoreDetail(store: number | undefined, version: string): StoreDetail | undefined {
  const [detail, setDetail] = useState<StoreDetail | undefined>(undefined);
  useEffect(() => {
    if (store === undefined) return;
    const controller = new AbortController();
    // A new store shows "loading"; a refresh of the same store keeps the chart until it answers.
    setDetail((shown) => (shown?.store === store ? shown : { state: 'loading', store }));
    const load = async () => {
      try {
        const [history, forecast] = await Promise.all([
          fetchAnswer<HistoryView>(salesPaths.history(store), controller.signal),
          fetchAnswer<ForecastView>(salesPaths.forecast(store), controller.signal),
        ]);
        if (!controller.signal.aborted) setDetail(detailOf(store, history, forecast));
      } catch (failure) {
        if (!controller.signal.aborted)
          setDetail({ state: 'error', store, reason: (failure as Error).message });
      }
    };
    void load();
    return () => controller.abort();
  }, [store, version]);
  return detail?.store === store ? detail : store === undefined ? undefined : { state: 'loading', store };
}
