/**
 * The sales system's records, shaped like the Rossmann store sales data (store.csv and
 * train.csv): one profile per store and one row per store and day. Both travel the platform's
 * stream as records of the `sales` pipeline; `kind` tells them apart.
 */

/** Rossmann's four store models. */
export type StoreType = 'a' | 'b' | 'c' | 'd';
/** Basic, extra, extended. */
export type Assortment = 'a' | 'b' | 'c';
/** '0' none, 'a' public holiday, 'b' Easter, 'c' Christmas. */
export type StateHoliday = '0' | 'a' | 'b' | 'c';

/** A store's static description (store.csv), streamed once before its first day. */
export interface StoreProfile {
  readonly kind: 'store';
  /** 1..1,115. */
  readonly store: number;
  /** The day from which the profile holds (the first day of the data): its event time. */
  readonly date: string;
  readonly storeType: StoreType;
  readonly assortment: Assortment;
  /** German state code (`NW`, `BY`, …): which public and school holidays apply. */
  readonly state: string;
  /** Metres to the nearest competitor; null when unknown. */
  readonly competitionDistance: number | null;
  /** `yyyy-MM` the competitor opened; null when unknown (then assume it was always there). */
  readonly competitionOpenSince: string | null;
  /** Takes part in the continuing promotion Promo2. */
  readonly promo2: boolean;
  /** `yyyy-MM-dd`, the Monday Promo2 started; null without Promo2. */
  readonly promo2Since: string | null;
  /** Months a Promo2 round starts in (`Jan,Apr,Jul,Oct`); null without Promo2. */
  readonly promoInterval: string | null;
}

/** One store's day (train.csv). Closed days have zero sales and customers. */
export interface DailySales {
  readonly kind: 'sales';
  readonly store: number;
  /** `yyyy-MM-dd`. */
  readonly date: string;
  /** 1 = Monday … 7 = Sunday. */
  readonly dayOfWeek: number;
  readonly sales: number;
  readonly customers: number;
  readonly open: 0 | 1;
  readonly promo: 0 | 1;
  readonly stateHoliday: StateHoliday;
  readonly schoolHoliday: 0 | 1;
}

export type SalesRecord = StoreProfile | DailySales;

/**
 * A future day as the business plans it (Rossmann's test.csv): opening, promotion and holidays
 * are known ahead, sales are not. Forecasts are made for these.
 */
export interface PlannedDay {
  readonly date: string;
  readonly dayOfWeek: number;
  readonly open: 0 | 1;
  readonly promo: 0 | 1;
  readonly stateHoliday: StateHoliday;
  readonly schoolHoliday: 0 | 1;
}
