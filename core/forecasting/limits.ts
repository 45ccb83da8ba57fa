/**
 * Limits of the forecasting core, in one place so the docs, validation and tests agree.
 */

/** Default trailing window fitted: a year of hourly data is cut to its last 7,000 hours. */
export const DEFAULT_MAX_POINTS = 7_000;

/**
 * Largest window accepted. The `arima` package's own wrapper copies the inputs onto a 64 KB stack
 * and crashes near 8,100 points (2,700 with two regressors); our worker passes heap memory
 * instead and was exercised up to 15,000 points. Fit time grows linearly with the window.
 */
export const MAX_POINTS_LIMIT = 15_000;

/**
 * Largest state r = max(p + s·P, q + s·Q + 1). The AS 154 initialisation solves for r(r+1)/2
 * unknowns with an O(r^4)-memory QR; r = 60 already covers (2,·,2)(2,·,2) with s = 24.
 */
export const MAX_STATE_SIZE = 60;

/** Normal quantiles of the two-sided 80% and 95% intervals. */
export const Z80 = 1.2815515655446004;
export const Z95 = 1.959963984540054;
