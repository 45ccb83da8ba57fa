import {
  describeStyle,
  inferStep,
  nominalStepMs,
  type SeriesCalendar,
  seasonForStep,
  type TimeStyle,
} from '../core/data/calendar.js';
import type { CsvDelimiter } from '../core/data/csv.js';
import type { TrainingSeries, ValueTransform } from '../core/forecasting/types.js';
import {
  type CsvTable,
  InputDataError,
  numberCell,
  readCsvTable,
  requireColumns,
  timeCell,
} from './csv-cells.js';
import {
  DEFAULT_MAX_FILL_SHARE,
  type FillLimit,
  fillGaps,
  findGaps,
  type Gap,
  gapError,
  type Point,
  showTime,
} from './csv-gaps.js';

export interface SeriesColumns {
  value: string;
  /** Without a time column the rows are taken in file order, one hour apart from SYNTHETIC_START. */
  time?: string;
  exog: string[];
}

/** How to read the file beyond its columns; every field has a default. */
export interface SeriesReading {
  /** The field separator; detected from the header line when not given. */
  delimiter?: CsvDelimiter;
  /** The transform the fit will apply: its domain is checked here, where the line is known. */
  transform?: ValueTransform;
  /**
   * Fill missing steps by linear interpolation within this limit; without it a gap is an error.
   * `season` sets the longest gap (one season); undefined takes the step's usual season.
   */
  fill?: { max: FillLimit['max']; season?: number };
}

export interface CsvSeries {
  /** On the original scale, with the calendar of the time column. */
  series: TrainingSeries & { calendar: SeriesCalendar };
  /** Rows were not in time order and were sorted. */
  sorted: boolean;
  /** No time column: timestamps were made up (hourly from SYNTHETIC_START). */
  syntheticTime: boolean;
  /** Gaps that `fill` interpolated (none without it). */
  filled: Gap[];
  delimiter: CsvDelimiter;
}

export const SYNTHETIC_START = '2000-01-01T00:00:00.000Z';
const HOURLY: SeriesCalendar = { unit: 'hour', count: 1, style: 'ISO' };

/**
 * A user's CSV as a regular training series: the columns exist, every cell is a number (the error
 * names the line), the rows are sorted by time and on one calendar step (hourly … yearly). The
 * step is the median gap, so one odd gap is reported as the anomaly rather than taken as the step;
 * missing steps are an error unless `fill` allows interpolating them.
 */
export function csvToSeries(
  text: string,
  columns: SeriesColumns,
  label = 'the CSV',
  reading: SeriesReading = {},
): CsvSeries {
  const table = readCsvTable(text, label, reading.delimiter);
  const wanted = [columns.value, ...(columns.time ? [columns.time] : []), ...columns.exog];
  requireColumns(table, wanted, label);
  if (columns.exog.includes(columns.value))
    throw new InputDataError(`"${columns.value}" is the value column; it cannot also be a regressor`);
  if (columns.time && [columns.value, ...columns.exog].includes(columns.time))
    throw new InputDataError(`"${columns.time}" is the time column; it cannot also be a value or regressor`);
  if (table.rows.length === 0) throw new InputDataError(`${label} has a header but no data rows`);

  const read = readPoints(table, columns, label, reading.transform ?? 'none');
  const syntheticTime = columns.time === undefined;
  const points = read.points;
  const sorted = !syntheticTime && points.some((p, i) => i > 0 && p.ms < (points[i - 1] as Point).ms);
  if (sorted) points.sort((a, b) => a.ms - b.ms);
  const calendar = syntheticTime ? HOURLY : calendarOf(points, read.style, label);
  const gaps = findGaps(points, calendar, label, calendar.style);
  if (gaps.length > 0 && !reading.fill) throw gapError(gaps, calendar, label, calendar.style);
  const regular = reading.fill
    ? fillGaps(points, gaps, calendar, fillLimit(reading.fill, calendar), { label, style: calendar.style })
    : points;
  return {
    series: {
      timestamps: regular.map((p) => new Date(p.ms).toISOString()),
      values: regular.map((p) => p.value),
      exog: regular.map((p) => p.exog),
      exogNames: columns.exog,
      stepMs: nominalStepMs(calendar),
      calendar,
    },
    sorted,
    syntheticTime,
    filled: gaps,
    delimiter: table.delimiter,
  };
}

function fillLimit(fill: NonNullable<SeriesReading['fill']>, calendar: SeriesCalendar): FillLimit {
  const season = fill.season ?? seasonForStep(calendar);
  return { max: fill.max, longestGap: season >= 2 ? season : undefined };
}

export const DEFAULT_FILL: FillLimit['max'] = { share: DEFAULT_MAX_FILL_SHARE };

/** The step of sorted points, after refusing two rows for one time. */
function calendarOf(points: Point[], style: TimeStyle, label: string): SeriesCalendar {
  if (points.length < 2) throw new InputDataError(`${label} has only one row; a series needs at least two`);
  const duplicate = points.findIndex((p, i) => i > 0 && p.ms === (points[i - 1] as Point).ms);
  if (duplicate > 0)
    throw new InputDataError(
      `${label} has two rows for ${showTime((points[duplicate] as Point).ms, style)} (lines ${(points[duplicate - 1] as Point).line} and ${(points[duplicate] as Point).line}); keep one value per time`,
    );
  return { ...inferStep(points.map((p) => p.ms)), style };
}

/**
 * Every row as a point, and the style the time column is written in. Dates and date-times may
 * mix (a date is midnight); years, quarters and months may not mix with anything else, since
 * "2024" among months would be ambiguous.
 */
function readPoints(
  table: CsvTable,
  columns: SeriesColumns,
  label: string,
  transform: ValueTransform,
): { points: Point[]; style: TimeStyle } {
  const start = Date.parse(SYNTHETIC_START);
  const decimalComma = table.delimiter !== ',';
  let style: { style: TimeStyle; line: number } | undefined;
  const points = table.rows.map((row, i) => {
    const line = table.lines[i] as number;
    let ms = start + i * nominalStepMs(HOURLY);
    if (columns.time) {
      const time = timeCell(row[columns.time], { label, line, column: columns.time });
      style = mergeStyle(
        style,
        { style: time.style, line },
        { label, column: columns.time, cell: row[columns.time] },
      );
      ms = time.ms;
    }
    const value = numberCell(row[columns.value], { label, line, column: columns.value, decimalComma });
    checkDomain(value, transform, { label, line, column: columns.value });
    return {
      ms,
      value,
      exog: columns.exog.map((column) =>
        numberCell(row[column], { label, line, column, flags: true, decimalComma }),
      ),
      line,
    };
  });
  return { points, style: style?.style ?? 'ISO' };
}

function mergeStyle(
  seen: { style: TimeStyle; line: number } | undefined,
  next: { style: TimeStyle; line: number },
  where: { label: string; column: string; cell: string | undefined },
): { style: TimeStyle; line: number } {
  if (!seen || seen.style === next.style) return seen ?? next;
  const dateTimes: TimeStyle[] = ['YYYY-MM-DD', 'ISO'];
  if (dateTimes.includes(seen.style) && dateTimes.includes(next.style)) return { ...seen, style: 'ISO' };
  throw new InputDataError(
    `${where.label} line ${next.line}: column "${where.column}" is "${(where.cell ?? '').trim()}", ${describeStyle(next.style)}, but line ${seen.line} is ${describeStyle(seen.style)}; write every time the same way`,
  );
}

/** log needs values > 0 and log1p values > -1; the error names the line and the way out. */
function checkDomain(
  value: number,
  transform: ValueTransform,
  where: { label: string; line: number; column: string },
): void {
  const bad = transform === 'log' ? value <= 0 : transform === 'log1p' ? value <= -1 : false;
  if (bad)
    throw new InputDataError(
      `${where.label} line ${where.line}: column "${where.column}" is ${value}, but --transform ${transform} needs values > ${transform === 'log' ? '0' : '-1'}` +
        (transform === 'log' ? ' (log1p takes zeros; none takes anything)' : ''),
    );
}
