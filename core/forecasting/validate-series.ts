import type { TrainingSeries } from './types.js';

/**
 * Checks a training series before any fit, with errors that say what and where: the library
 * silently replaces NaN by the previous value and reads past short regressor columns.
 */
export function validateSeries(series: TrainingSeries, logTransform: boolean): void {
  const { timestamps, values, exog, exogNames, stepMs } = series;
  if (!Array.isArray(values) || values.length === 0) throw new Error('values must be a non-empty array');
  if (!Array.isArray(timestamps) || timestamps.length !== values.length)
    throw new Error(`timestamps has ${timestamps?.length} entries but values has ${values.length}`);
  if (!(Number.isInteger(stepMs) && stepMs > 0))
    throw new Error(`stepMs must be a positive whole number of milliseconds, got ${stepMs}`);
  if (!Array.isArray(exogNames) || exogNames.some((name) => typeof name !== 'string'))
    throw new Error('exogNames must be an array of strings');

  values.forEach((value, i) => {
    if (typeof value !== 'number' || !Number.isFinite(value))
      throw new Error(`values[${i}] is not a finite number (${String(value)})`);
    if (logTransform && value <= -1)
      throw new Error(`values[${i}] = ${value}: the log1p transform needs values > -1`);
  });

  validateExogRows(exog, values.length, exogNames.length, 'exog');

  let previous = Number.NaN;
  timestamps.forEach((stamp, i) => {
    const ms = typeof stamp === 'string' ? Date.parse(stamp) : Number.NaN;
    if (Number.isNaN(ms)) throw new Error(`timestamps[${i}] is not an ISO-8601 time (${String(stamp)})`);
    if (i > 0 && ms - previous !== stepMs)
      throw new Error(
        `timestamps are not equally spaced: ${timestamps[i - 1]} -> ${stamp} is ${ms - previous} ms, stepMs is ${stepMs}`,
      );
    previous = ms;
  });
}

/**
 * Rows of regressors: `rows` rows of `width` finite numbers. With no regressors an empty array
 * is accepted as well as rows of width 0.
 */
export function validateExogRows(exog: unknown, rows: number, width: number, label: string): void {
  if (!Array.isArray(exog)) throw new Error(`${label} must be an array of rows`);
  if (width === 0 && exog.length === 0) return;
  if (exog.length !== rows) throw new Error(`${label} has ${exog.length} rows, expected ${rows}`);
  const firstWidth = Array.isArray(exog[0]) ? exog[0].length : -1;
  exog.forEach((row: unknown, i) => {
    if (!Array.isArray(row)) throw new Error(`${label}[${i}] is not an array`);
    if (row.length !== firstWidth)
      throw new Error(`${label} is ragged: row 0 has ${firstWidth} values, row ${i} has ${row.length}`);
    row.forEach((value: unknown, j) => {
      if (typeof value !== 'number' || !Number.isFinite(value))
        throw new Error(`${label}[${i}][${j}] is not a finite number (${String(value)})`);
    });
  });
  if (firstWidth !== width)
    throw new Error(`${label} rows have ${firstWidth} values but there are ${width} regressor names`);
}

/** Column-major copy (one array per regressor), the layout the library reads. */
export function toColumns(rows: readonly (readonly number[])[], width: number): number[][] {
  return Array.from({ length: width }, (_, j) => rows.map((row) => row[j] as number));
}
