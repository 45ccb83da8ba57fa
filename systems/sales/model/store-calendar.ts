import type { StoreProfile } from '../records/types.js';
import { dateOf } from './dates.js';

/**
 * What a store's profile says about one day: whether Promo2 runs and whether the competitor is
 * open. Both are known ahead, so both families may use them for any horizon.
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sept', 'Oct', 'Nov', 'Dec'];

/** Promo2 months as numbers 1..12 (Rossmann writes `Sept`; `Sep` is accepted too). */
function promoMonths(interval: string | null): Set<number> {
  const months = new Set<number>();
  for (const name of (interval ?? '').split(',')) {
    const trimmed = name.trim().slice(0, 3).toLowerCase();
    const index = MONTHS.findIndex((m) => m.slice(0, 3).toLowerCase() === trimmed);
    if (index >= 0) months.add(index + 1);
  }
  return months;
}

export interface StoreCalendar {
  /** 1 once the store's Promo2 has started. */
  promo2Started(day: number): 0 | 1;
  /** 1 in a month that starts a Promo2 round (named in its interval) once Promo2 has started. */
  promo2Month(day: number): 0 | 1;
  /** 1 once the competitor is open (unknown opening: it always was). */
  competitionOpen(day: number): 0 | 1;
  /** Whole months the competitor has been open, capped at 24; NaN when unknown, 0 before it opens. */
  competitionMonths(day: number): number;
}

export function storeCalendar(profile: StoreProfile): StoreCalendar {
  const months = promoMonths(profile.promoInterval);
  const since = profile.promo2 && profile.promo2Since ? profile.promo2Since : null;
  const opened = profile.competitionOpenSince;
  const openedMonth = opened ? Number(opened.slice(0, 4)) * 12 + Number(opened.slice(5, 7)) - 1 : null;
  const monthOf = (day: number) => {
    const date = dateOf(day);
    return Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1;
  };
  return {
    promo2Started: (day) => (since && dateOf(day) >= since ? 1 : 0),
    // Rossmann's data says only which months start a round; like most Rossmann models we take the
    // named months as the ones where customers notice Promo2.
    promo2Month: (day) => (since && dateOf(day) >= since && months.has((monthOf(day) % 12) + 1) ? 1 : 0),
    competitionOpen: (day) => (openedMonth === null || monthOf(day) >= openedMonth ? 1 : 0),
    competitionMonths: (day) =>
      openedMonth === null ? Number.NaN : Math.min(24, Math.max(0, monthOf(day) - openedMonth)),
  };
}
