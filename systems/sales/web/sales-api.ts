/**
 * What the page reads from the sales API (`/api/sales/…`: the console's pass-through locally,
 * the CloudFront behaviour on AWS). The shapes are the API's own (systems/sales/api/views.ts);
 * this file adds the addresses and a fetch that keeps a 404's reason, because "no data yet" and
 * "no champion yet" are states the page explains, not failures.
 */
export type { ForecastView, HealthView, HistoryView, StoreRow, StoresView } from '../api/views';
export type { ForecastPoint } from '../model/types';

/** Days of history shown before the forecast. */
export const HISTORY_DAYS = 120;
/** Days forecast: the service's longest horizon, six weeks. */
export const HORIZON = 42;
/** Rows of the worst-stores table. */
export const WORST_LIMIT = 10;

export const salesPaths = {
  stores: `/api/sales/stores?limit=${WORST_LIMIT}`,
  health: '/api/sales/health',
  history: (store: number) => `/api/sales/history?store=${store}&days=${HISTORY_DAYS}`,
  forecast: (store: number) => `/api/sales/forecast?store=${store}&horizon=${HORIZON}`,
} as const;

/** An answer: the view, or the status and the API's reason (`status` 0: no answer at all). */
export type Answer<T> = { ok: true; data: T } | { ok: false; status: number; error: string };

export async function fetchAnswer<T>(url: string, signal?: AbortSignal): Promise<Answer<T>> {
  let response: Response;
  try {
    response = await fetch(url, { signal: signal ?? null, headers: { Accept: 'application/json' } });
  } catch (failure) {
    if (signal?.aborted) throw failure;
    return { ok: false, status: 0, error: (failure as Error).message };
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    return {
      ok: false,
      status: response.status,
      error: `${response.status} ${response.statusText}: not JSON`,
    };
  }
  if (response.ok) return { ok: true, data: body as T };
  const reason = (body as { error?: unknown; message?: unknown } | undefined) ?? {};
  const error =
    typeof reason.error === 'string'
      ? reason.error
      : typeof reason.message === 'string'
        ? reason.message
        : `${response.status} ${response.statusText}`;
  return { ok: false, status: response.status, error };
}
