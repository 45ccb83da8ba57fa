import { type BasicType, type ColumnSource, parquetWriteBuffer } from 'hyparquet-writer';
import type { ColumnType, FeatureColumn, FeatureRow } from './columns.js';

/**
 * Feature rows → one Parquet file (bytes), typed by the column list rather than guessed from the
 * data: a guess would type a double column whose values happen to be whole as INT32, and an empty
 * day as nothing at all. Snappy-compressed (hyparquet-writer's default, pure JS), which pandas,
 * DuckDB and Athena all read.
 */
const PARQUET_TYPES: Record<ColumnType, BasicType> = {
  string: 'STRING', // BYTE_ARRAY + UTF8
  int: 'INT32', // counts of one day: at most 86,400,000 readings at 1 ms, far below 2^31
  double: 'DOUBLE',
};

export interface ParquetWriteSettings {
  /** Rows per row group; one group per file keeps a day's features in one read. */
  rowGroupSize?: number;
  /** Extra key/value metadata, e.g. the pipeline name and the code version. */
  metadata?: Record<string, string>;
}

export function writeFeatureParquet(
  rows: readonly FeatureRow[],
  columns: readonly FeatureColumn[],
  settings: ParquetWriteSettings = {},
): Uint8Array {
  const columnData: ColumnSource[] = columns.map((column) => ({
    name: column.name,
    type: PARQUET_TYPES[column.type],
    nullable: column.nullable,
    data: columnValues(rows, column),
  }));
  const buffer = parquetWriteBuffer({
    columnData,
    rowGroupSize: settings.rowGroupSize ?? 100_000,
    createdBy: 'streaming-ml-pipelines features',
    kvMetadata: Object.entries(settings.metadata ?? {}).map(([key, value]) => ({ key, value })),
  });
  return new Uint8Array(buffer);
}

/** One column's values, checked against its type: a wrong value would otherwise be written silently. */
function columnValues(rows: readonly FeatureRow[], column: FeatureColumn): (string | number | null)[] {
  const values: (string | number | null)[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const value = (rows[i] as FeatureRow)[column.name];
    if (value === null || value === undefined) {
      if (!column.nullable) throw new Error(`row ${i}: column "${column.name}" is required but empty`);
      values[i] = null;
    } else if (column.type === 'string' ? typeof value !== 'string' : !isNumberOf(column.type, value)) {
      throw new Error(
        `row ${i}: column "${column.name}" expects ${column.type}, got ${JSON.stringify(value)}`,
      );
    } else {
      values[i] = value;
    }
  }
  return values;
}

function isNumberOf(type: ColumnType, value: unknown): boolean {
  if (typeof value !== 'number') return false;
  return type === 'int' ? Number.isInteger(value) && Math.abs(value) < 2 ** 31 : !Number.isNaN(value);
}
