import { describeStep, formatTime } from '../core/data/calendar.js';
import { describeOrder } from '../core/forecasting/index.js';
import type { Forecast, SarimaxArtifact } from '../core/forecasting/types.js';
import { decimalsFor, shortTime, table } from './format.js';

/**
 * `--json`: the model's description and the forecast in the forecast service's shape
 * (`forecast.timestamps`, `mean`, `lower80` … `upper95`), so scripts read both alike. A model
 * that knows its calendar also gives its step and `times`: the steps written like its input
 * (`2025-07`), beside the ISO timestamps.
 */
export function forecastJson(modelPath: string, artifact: SarimaxArtifact, result: Forecast) {
  const { calendar } = artifact.training;
  return {
    model: {
      file: modelPath,
      order: describeOrder(artifact.order),
      exogNames: artifact.exogNames,
      transform: artifact.transform,
      trainingEnd: artifact.training.end,
      stepMs: artifact.training.stepMs,
      ...(calendar ? { step: describeStep(calendar), calendar } : {}),
    },
    horizon: result.mean.length,
    ...(calendar
      ? { times: result.timestamps.map((iso) => formatTime(Date.parse(iso), calendar.style)) }
      : {}),
    forecast: result,
  };
}

/** The first line: the order, the file, and the steps after the training end, in the model's style. */
export function forecastHeading(modelPath: string, artifact: SarimaxArtifact, horizon: number): string {
  const { calendar, end } = artifact.training;
  const steps = calendar
    ? `${horizon} steps of ${describeStep(calendar)} after ${formatTime(Date.parse(end), calendar.style)}`
    : `${horizon} steps after ${end}`;
  return `Forecast of ${describeOrder(artifact.order)} from ${modelPath}, ${steps}`;
}

/**
 * One row per step: time, point forecast, 80% and 95% intervals, decimals chosen for the data.
 * Times are written in the model's style (`2025-07` for a monthly model), else as short ISO.
 */
export function forecastTable(result: Forecast, artifact?: SarimaxArtifact): string {
  const style = artifact?.training.calendar?.style;
  const time = (iso: string) => (style ? formatTime(Date.parse(iso), style) : shortTime(iso));
  const decimals = decimalsFor([...result.mean, ...result.upper95, ...result.lower95]);
  const n = (value: number | undefined) => (value === undefined ? '–' : value.toFixed(decimals));
  const interval = (low: number | undefined, high: number | undefined) => `${n(low)} … ${n(high)}`;
  return table(
    ['step', 'time', 'mean', '80% interval', '95% interval'],
    result.mean.map((mean, i) => [
      String(i + 1),
      time(result.timestamps[i] ?? ''),
      n(mean),
      interval(result.lower80[i], result.upper80[i]),
      interval(result.lower95[i], result.upper95[i]),
    ]),
    ['right', 'left', 'right', 'right', 'right'],
  );
}
