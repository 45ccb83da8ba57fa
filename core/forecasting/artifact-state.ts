import type { StartName, StartOutcome } from './estimate.js';

/**
 * What `SarimaxArtifact.state` holds (the shared type keeps it open as a record): the Kalman
 * filter at the end of the training window, from which forecasts continue without the library.
 */
export const STATE_ALGORITHM = 'as182-kalman';

export interface SarimaxState {
  algorithm: typeof STATE_ALGORITHM;
  /**
   * State vector, length r + id (r = max(p + s·P, q + s·Q + 1), id = d + s·D): the r ARMA states
   * (a[0] is the last differenced working value), then the id working values before the last,
   * newest first. "Working" = model-scale value − mean − Σ exog·beta.
   */
  a: number[];
  /** State covariance in units of the innovation variance, (r + id) × (r + id). */
  P: number[][];
  /** Innovation variance the filter estimated on the window: forecast variance = MSE × this. */
  varianceScale: number;
  /**
   * 'estimated': our exact maximum likelihood (since issue 15). Artifacts fitted before it came
   * from the `arima` library: 'memory' (read at full precision) or 'printout' (~6 digits).
   */
  coefficientSource: 'estimated' | 'memory' | 'printout';
  /** Regressors constant over the window, left out of the fit (their coefficient is 0). */
  droppedExog: string[];
  /** 'exact-ML': ours. 'CSS-MLE' and 'MLE': the library's, in artifacts fitted before issue 15. */
  estimation: 'exact-ML' | 'CSS-MLE' | 'MLE';
  /** How the exact fit got there (absent in the library's artifacts). */
  fit?: FitPath;
}

/** The path of an exact fit: which start won, every start's end, and whether the optimum is in doubt. */
export interface FitPath {
  path: StartName;
  starts: StartOutcome[];
  /** Why the fit must not decide a promotion (a second start found a better optimum); null if it may. */
  doubt: string | null;
}
