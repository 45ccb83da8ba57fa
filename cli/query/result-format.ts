/** A query result as people read it (an aligned table) and as programs read it (JSON, CSV). */
import { table } from '../format.js';
import type { QueryResult, QueryValue } from './duckdb-session.js';

/** Cells wider than this are cut in the text table: one long JSON value should not hide the rest. */
export const MAX_CELL_WIDTH = 40;

const NUMERIC =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL)/;

function cellText(value: QueryValue): string {
  if (value === null) return 'NULL';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function truncate(text: string, width: number): string {
  const oneLine = text.replace(/\r?\n/g, '⏎');
  const chars = [...oneLine];
  return chars.length <= width ? oneLine : `${chars.slice(0, width - 1).join('')}…`;
}

/** Columns aligned, numbers to the right, then the row count. */
export function formatText(result: QueryResult, maxCellWidth = MAX_CELL_WIDTH): string {
  const rows = result.rows.map((row) => row.map((value) => truncate(cellText(value), maxCellWidth)));
  const body = table(
    result.columns.map((column) => column.name),
    rows,
    result.columns.map((column) => (NUMERIC.test(column.type) ? 'right' : 'left')),
  );
  const count = `(${result.rows.length} ${result.rows.length === 1 ? 'row' : 'rows'})`;
  return `${body}\n${count}\n`;
}

/** One array of objects keyed by column name. */
export function formatJson(result: QueryResult): string {
  const objects = result.rows.map((row) =>
    Object.fromEntries(result.columns.map((column, i) => [column.name, row[i] ?? null])),
  );
  return `${JSON.stringify(objects, null, 2)}\n`;
}

/** RFC 4180: a header line, fields quoted when they hold a comma, a quote or a line break; NULL is empty. */
export function formatCsv(result: QueryResult): string {
  const field = (text: string) => (/[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
  const lines = [
    result.columns.map((column) => field(column.name)).join(','),
    ...result.rows.map((row) => row.map((value) => (value === null ? '' : field(cellText(value)))).join(',')),
  ];
  return `${lines.join('\n')}\n`;
}
