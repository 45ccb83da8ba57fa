import type { TrainingSeries } from '../core/forecasting/types.js';
import {
  type CsvTable,
  InputDataError,
  numberCell,
  readCsvTable,
  requireColumns,
  timeCell,
} from './csv-cells.js';
import { formatStep } from './format.js';

export interface SeriesColumns {
  value: string;
  /** Without a time column the rows are taken in file order, one hour apart from SYNTHETIC_START. */
  time?: string;
  exog: string[];
}

export interface CsvSeries {
  series: TrainingSeries;
  /** Rows were not in time order and were sorted. */
  sorted: boolean;
  /** No time column: timestamps were made up (hourly from SYNTHETIC_START). */
  syntheticTime: boolean;
}

export const SYNTHETIC_START = '2000-01-01T00:00:00.000Z';
const HOUR_MS = 3_600_000;

/**
 * A user's CSV as a regular training series: the columns exist, every cell is a number (the error
 * names the line), the rows are sorted by time and equally spaced. The step is the median gap, so
 * one odd gap is reported as the anomaly rather than taken as the step.
 */
export function csvToSeries(text: string, columns: SeriesColumns, label = 'the CSV'): CsvSeries {
  const table = readCsvTable(text, label);
  const wanted = [columns.value, ...(columns.time ? [columns.time] : []), ...columns.exog];
  requireColumns(table, wanted, label);
  if (columns.exog.includes(columns.value))
    throw new InputDataError(`"${columns.value}" is the value column; it cannot also be a regressor`);
  if (columns.time && [columns.value, ...columns.exog].includes(columns.time))
    throw new InputDataError(`"${columns.time}" is the time column; it cannot also be a value or regressor`);
  if (table.rows.length === 0) throw new InputDataError(`${label} has a header but no data rows`);

  const points = readPoints(table, columns, label);
  const syntheticTime = columns.time === undefined;
  const sorted = !syntheticTime && points.some((p, i) => i > 0 && p.ms < (points[i - 1] as Point).ms);
  if (sorted) points.sort((a, b) => a.ms - b.ms);
  const stepMs = syntheticTime ? HOUR_MS : checkSpacing(points, label);
  return {
    series: {
      timestamps: points.map((p) => new Date(p.ms).toISOString()),
      values: points.map((p) => p.value),
      exog: points.map((p) => p.exog),
      exogNames: columns.exog,
      stepMs,
    },
    sorted,
    syntheticTime,
  };
}

interface Point {
  ms: number;
  value: number;
  exog: number[];
  line: number;
}

function readPoints(table: CsvTable, columns: SeriesColumns, label: string): Point[] {
  const start = Date.parse(SYNTHETIC_START);
  return table.rows.map((row, i) => {
    const line = table.lines[i] as number;
    return {
      ms: columns.time
        ? timeCell(row[columns.time], { label, line, column: columns.time })
        : start + i * HOUR_MS,
      value: numberCell(row[columns.value], { label, line, column: columns.value }),
      exog: columns.exog.map((column) => numberCell(row[column], { label, line, column, flags: true })),
      line,
    };
  });
}

/** The step (median gap) after checking that every gap equals it. */
function checkSpacing(points: Point[], label: string): number {
  if (points.length < 2) throw new InputDataError(`${label} has only one row; a series needs at least two`);
  const gaps = points.slice(1).map((p, i) => p.ms - (points[i] as Point).ms);
  const duplicate = gaps.indexOf(0);
  if (duplicate >= 0)
    throw new InputDataError(
      `${label} has two rows for ${new Date((points[duplicate] as Point).ms).toISOString()} (lines ${(points[duplicate] as Point).line} and ${(points[duplicate + 1] as Point).line}); keep one value per time`,
    );
  const step = median(gaps);
  const odd = gaps.map((gap, i) => ({ gap, i })).filter(({ gap }) => gap !== step);
  if (odd.length > 0) {
    const { gap, i } = odd[0] as { gap: number; i: number };
    const [a, b] = [points[i] as Point, points[i + 1] as Point];
    throw new InputDataError(
      `${label} is not equally spaced: the usual step is ${formatStep(step)}, but ${new Date(a.ms).toISOString()} (line ${a.line}) → ${new Date(b.ms).toISOString()} (line ${b.line}) is ${formatStep(gap)}` +
        `${odd.length > 1 ? ` (${odd.length} of ${gaps.length} gaps differ)` : ''}; fill the gaps or aggregate to a regular step first`,
    );
  }
  return step;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] as number;
}
