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
  /** 'memory': coefficients read at full precision; 'printout': parsed (~6 significant digits). */
  coefficientSource: 'memory' | 'printout';
  /** Regressors constant over the window, left out of the fit (their coefficient is 0). */
  droppedExog: string[];
  /** How the library estimated the coefficients (exact MLE is the fallback when CSS-MLE fails). */
  estimation: 'CSS-MLE' | 'MLE';
}
