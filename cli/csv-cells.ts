import { parseTime, type TimeStyle } from '../core/data/calendar.js';
import { type CsvDelimiter, detectDelimiter, parseCsv } from '../core/data/csv.js';

/** Input the user can fix: the message names the file line and the column. */
export class InputDataError extends Error {
  override readonly name = 'InputDataError';
}

export interface CsvTable {
  header: string[];
  rows: Record<string, string>[];
  /** The 1-based file line of each row, for error messages. */
  lines: number[];
  /** The field separator used: the one asked for, or the one detected from the header line. */
  delimiter: CsvDelimiter;
}

/** How a delimiter is named in messages. */
export function delimiterName(delimiter: CsvDelimiter): string {
  return { ',': 'commas', ';': 'semicolons', '\t': 'tabs' }[delimiter];
}

/**
 * parseCsv plus the file line of each row and the delimiter (detected from the header line unless
 * given). parseCsv drops blank lines, so counting rows would
 * point at the wrong line after one; when a quoted field spans lines the physical count no longer
 * matches the rows and the row's position after the header is given instead.
 */
export function readCsvTable(text: string, label: string, delimiter?: CsvDelimiter): CsvTable {
  const used = delimiter ?? detectDelimiter(text);
  let parsed: ReturnType<typeof parseCsv>;
  try {
    parsed = parseCsv(text, used);
  } catch (error) {
    throw new InputDataError(`${label}: ${(error as Error).message}`);
  }
  const physical = text.split(/\r\n|\r|\n/);
  const dataLines: number[] = [];
  physical.forEach((line, i) => {
    if (i > 0 && line !== '') dataLines.push(i + 1);
  });
  const lines = dataLines.length === parsed.rows.length ? dataLines : parsed.rows.map((_, i) => i + 2);
  return { header: parsed.header, rows: parsed.rows, lines, delimiter: used };
}

/**
 * Fails naming the columns that are missing, the ones the file has and the delimiter they were
 * split at: a header read with the wrong delimiter is one long column name.
 */
export function requireColumns(table: CsvTable, columns: string[], label: string): void {
  const missing = columns.filter((column) => !table.header.includes(column));
  if (missing.length > 0)
    throw new InputDataError(
      `${label} has no column ${missing.map((m) => `"${m}"`).join(', ')}; its columns are ${table.header.map((h) => `"${h}"`).join(', ')}` +
        ` (split at ${delimiterName(table.delimiter)}; --delimiter sets another: ',', ';' or tab)`,
    );
}

/**
 * A finite number. Empty cells are errors (Number('') is 0, which would silently invent data);
 * `true`/`false` are read as 1/0 where flags are allowed (a holiday column often has them). With
 * `decimalComma` (files split at semicolons or tabs, as spreadsheets write them where the comma is
 * the decimal mark) `12,5` is 12.5.
 */
export function numberCell(
  cell: string | undefined,
  where: { label: string; line: number; column: string; flags?: boolean; decimalComma?: boolean },
): number {
  const raw = (cell ?? '').trim();
  if (where.flags && /^(true|false)$/i.test(raw)) return raw.toLowerCase() === 'true' ? 1 : 0;
  const text = where.decimalComma && /^[+-]?\d*,\d+$/.test(raw) ? raw.replace(',', '.') : raw;
  const value = Number(text);
  if (text === '' || !Number.isFinite(value))
    throw new InputDataError(
      `${where.label} line ${where.line}: column "${where.column}" is ${raw === '' ? 'empty' : `"${raw}"`}, expected a number`,
    );
  return value;
}

/**
 * A time cell (core/data/calendar.ts parseTime): its epoch milliseconds and how it was written.
 * Years, quarters, months and dates are accepted besides ISO-8601 date-times (no zone = UTC).
 */
export function timeCell(
  cell: string | undefined,
  where: { label: string; line: number; column: string },
): { ms: number; style: TimeStyle } {
  const text = (cell ?? '').trim();
  const time = parseTime(text);
  if (!time)
    throw new InputDataError(
      `${where.label} line ${where.line}: column "${where.column}" is ${text === '' ? 'empty' : `"${text}"`}, expected an ISO-8601 time or date such as 2024-03-01T13:00:00Z, 2024-03-01, a month 2024-03, a quarter 2024-Q1 or a year 2024`,
    );
  return time;
}
