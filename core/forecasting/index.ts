/** The forecasting core: SARIMAX by exact maximum likelihood, forecasts from our own artifact. */

export { advanceArtifact } from './advance.js';
export { ARTIFACT_FORMAT, ARTIFACT_VERSION } from './artifact.js';
export type { SarimaxState } from './artifact-state.js';
export { fitSarimax } from './fit.js';
export { forecast, forecastModelScale, type ModelScaleForecast } from './forecast.js';
export { DEFAULT_MAX_POINTS, MAX_POINTS_LIMIT, MAX_STATE_SIZE, Z80, Z95 } from './limits.js';
export { holdoutMetrics } from './metrics.js';
export { candidateOrders, describeOrder } from './order.js';
export type * from './types.js';
export { validateArtifact } from './validate-artifact.js';
