import { defaultOrderSearch } from '../core/forecasting/default-search.js';
import { validateOrder } from '../core/forecasting/order.js';
import type { OrderSearch, SarimaxOrder } from '../core/forecasting/types.js';
import { UsageError } from './args.js';

const EXAMPLE = 'p,d,q or p,d,q,P,D,Q,s (e.g. 1,0,1 or 1,0,1,1,1,1,24)';

/** `--order 1,0,1` (no seasonal part) or `--order 1,0,1,1,1,1,24`, checked against the core's bounds. */
export function parseOrderFlag(text: string): SarimaxOrder {
  const parts = text.split(',').map((part) => part.trim());
  const numbers = parts.map(Number);
  if (
    (parts.length !== 3 && parts.length !== 7) ||
    parts.some((part) => part === '') ||
    !numbers.every(Number.isInteger)
  )
    throw new UsageError(`--order expects ${EXAMPLE}, got "${text}"`);
  const [p, d, q, P = 0, D = 0, Q = 0, s = 0] = numbers as number[];
  try {
    return validateOrder({ p: p as number, d: d as number, q: q as number, P, D, Q, s });
  } catch (error) {
    throw new UsageError(`--order ${text}: ${(error as Error).message}`);
  }
}

const DAY_MS = 86_400_000;

/**
 * The seasonal period a search assumes: a day for hourly data, a week for daily data, none
 * otherwise (a period of 96 quarter-hours or more exceeds the core's state-size limit).
 */
export function defaultSeason(stepMs: number): number {
  if (stepMs === 3_600_000) return 24;
  if (stepMs === DAY_MS) return 7;
  return 0;
}

/**
 * The default order search (core/forecasting/default-search.ts) with the period of this data
 * and the given budget. Without a period there is no seasonal differencing either.
 */
export function searchFor(stepMs: number, season: number | undefined, budgetMs: number): OrderSearch {
  const base = defaultOrderSearch;
  const s = season ?? defaultSeason(stepMs);
  return { ...base, s, D: s >= 2 ? base.D : 0, budgetMs };
}
