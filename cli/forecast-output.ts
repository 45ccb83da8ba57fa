import { describeOrder } from '../core/forecasting/index.js';
import type { Forecast, SarimaxArtifact } from '../core/forecasting/types.js';
import { decimalsFor, shortTime, table } from './format.js';

/**
 * `--json`: the model's description and the forecast in the forecast service's shape
 * (`forecast.timestamps`, `mean`, `lower80` … `upper95`), so scripts read both alike.
 */
export function forecastJson(modelPath: string, artifact: SarimaxArtifact, result: Forecast) {
  return {
    model: {
      file: modelPath,
      order: describeOrder(artifact.order),
      exogNames: artifact.exogNames,
      transform: artifact.transform,
      trainingEnd: artifact.training.end,
      stepMs: artifact.training.stepMs,
    },
    horizon: result.mean.length,
    forecast: result,
  };
}

/** One row per step: time, point forecast, 80% and 95% intervals, decimals chosen for the data. */
export function forecastTable(result: Forecast): string {
  const decimals = decimalsFor([...result.mean, ...result.upper95, ...result.lower95]);
  const n = (value: number | undefined) => (value === undefined ? '–' : value.toFixed(decimals));
  const interval = (low: number | undefined, high: number | undefined) => `${n(low)} … ${n(high)}`;
  return table(
    ['step', 'time', 'mean', '80% interval', '95% interval'],
    result.mean.map((mean, i) => [
      String(i + 1),
      shortTime(result.timestamps[i] ?? ''),
      n(mean),
      interval(result.lower80[i], result.upper80[i]),
      interval(result.lower95[i], result.upper95[i]),
    ]),
    ['right', 'left', 'right', 'right', 'right'],
  );
}
