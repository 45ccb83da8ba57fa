import { parseCsv } from '../core/data/csv.js';

/** Input the user can fix: the message names the file line and the column. */
export class InputDataError extends Error {
  override readonly name = 'InputDataError';
}

export interface CsvTable {
  header: string[];
  rows: Record<string, string>[];
  /** The 1-based file line of each row, for error messages. */
  lines: number[];
}

/**
 * parseCsv plus the file line of each row. parseCsv drops blank lines, so counting rows would
 * point at the wrong line after one; when a quoted field spans lines the physical count no longer
 * matches the rows and the row's position after the header is given instead.
 */
export function readCsvTable(text: string, label: string): CsvTable {
  let parsed: ReturnType<typeof parseCsv>;
  try {
    parsed = parseCsv(text);
  } catch (error) {
    throw new InputDataError(`${label}: ${(error as Error).message}`);
  }
  const physical = text.split(/\r\n|\r|\n/);
  const dataLines: number[] = [];
  physical.forEach((line, i) => {
    if (i > 0 && line !== '') dataLines.push(i + 1);
  });
  const lines = dataLines.length === parsed.rows.length ? dataLines : parsed.rows.map((_, i) => i + 2);
  return { header: parsed.header, rows: parsed.rows, lines };
}

/** Fails naming the columns that are missing and the ones the file has. */
export function requireColumns(table: CsvTable, columns: string[], label: string): void {
  const missing = columns.filter((column) => !table.header.includes(column));
  if (missing.length > 0)
    throw new InputDataError(
      `${label} has no column ${missing.map((m) => `"${m}"`).join(', ')}; its columns are ${table.header.map((h) => `"${h}"`).join(', ')}`,
    );
}

/**
 * A finite number. Empty cells are errors (Number('') is 0, which would silently invent data);
 * `true`/`false` are read as 1/0 where flags are allowed (a holiday column often has them).
 */
export function numberCell(
  cell: string | undefined,
  where: { label: string; line: number; column: string; flags?: boolean },
): number {
  const text = (cell ?? '').trim();
  if (where.flags && /^(true|false)$/i.test(text)) return text.toLowerCase() === 'true' ? 1 : 0;
  const value = Number(text);
  if (text === '' || !Number.isFinite(value))
    throw new InputDataError(
      `${where.label} line ${where.line}: column "${where.column}" is ${text === '' ? 'empty' : `"${text}"`}, expected a number`,
    );
  return value;
}

/** Date and time without a zone: read as UTC (Date.parse would use the machine's zone). */
const ZONELESS = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

/** Epoch milliseconds of an ISO-8601 time; times without a zone are UTC. */
export function timeCell(
  cell: string | undefined,
  where: { label: string; line: number; column: string },
): number {
  const text = (cell ?? '').trim();
  const iso = ZONELESS.test(text) ? `${text.replace(' ', 'T')}Z` : text;
  const ms = /^\d{4}-\d{2}-\d{2}/.test(iso) ? Date.parse(iso) : Number.NaN;
  if (Number.isNaN(ms))
    throw new InputDataError(
      `${where.label} line ${where.line}: column "${where.column}" is ${text === '' ? 'empty' : `"${text}"`}, expected an ISO-8601 time such as 2024-03-01T13:00:00Z`,
    );
  return ms;
}
