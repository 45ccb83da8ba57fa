import type { OrderSearch } from './types.js';

/**
 * The order search used when none is given: small orders with a daily season on hourly data,
 * found by AIC within two minutes. Shared by the systems that forecast and by the CLI, which
 * adapts the period to its data.
 */
export const defaultOrderSearch: Readonly<OrderSearch> = {
  maxP: 2,
  maxQ: 2,
  maxSeasonalP: 1,
  maxSeasonalQ: 1,
  d: 0,
  D: 1,
  s: 24,
  budgetMs: 120_000,
};
