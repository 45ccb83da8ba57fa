/**
 * The chosen store lives in the page's address (`/systems/sales?store=17`), so a reload, a
 * bookmark or a link to a colleague shows the same store. No DOM, no fetch.
 */
import type { StoreRow } from './sales-api';

const STORE = /^\d{1,4}$/;

/** The store named in the query string, or undefined when none (or not a store number) is. */
export function storeInSearch(search: string): number | undefined {
  const text = new URLSearchParams(search).get('store')?.trim() ?? '';
  if (!STORE.test(text)) return undefined;
  const store = Number(text);
  return store >= 1 ? store : undefined;
}

/** The page's address showing `store`, other parameters kept. */
export function pathWithStore(pathAndSearch: string, store: number): string {
  const url = new URL(pathAndSearch, 'http://page');
  url.searchParams.set('store', String(store));
  return url.pathname + url.search;
}

/**
 * The store to show: the address's, else the first store with a model (the page opens on
 * something worth seeing), else the first store there is.
 */
export function shownStore(search: string, rows: readonly StoreRow[] | undefined): number | undefined {
  const named = storeInSearch(search);
  if (named !== undefined) return named;
  return (rows?.find((r) => r.family !== null) ?? rows?.[0])?.store;
}

/**
 * What a typed entry means: a store number ("17", "store 17", "#17") that the API knows, or why
 * not. Leading zeros are fine ("0017", as in the registry's `store-0017`).
 */
export function parseStoreEntry(
  text: string,
  known: ReadonlySet<number>,
): { store: number } | { problem: string } {
  const digits = /^\s*(?:store[\s-]*|#)?0*(\d{1,4})\s*$/i.exec(text)?.[1];
  if (digits === undefined) return { problem: 'Type a store number, such as 17.' };
  const store = Number(digits);
  if (!known.has(store)) {
    const sorted = [...known].sort((a, b) => a - b);
    const range = sorted.length > 0 ? `; the stores are ${sorted[0]}–${sorted.at(-1)}` : '';
    return { problem: `No store ${store} in the data${range}.` };
  }
  return { store };
}

/** The store before or after `store` in the list (wrapping), for stepping through them. */
export function neighbour(rows: readonly StoreRow[], store: number, step: 1 | -1): number | undefined {
  if (rows.length === 0) return undefined;
  const at = rows.findIndex((r) => r.store === store);
  if (at < 0) return rows[0]?.store;
  return rows[(at + step + rows.length) % rows.length]?.store;
}
