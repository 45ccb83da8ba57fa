import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { type BasicType, type ColumnSource, parquetWriteBuffer } from 'hyparquet-writer';
import { METRIC_FIELDS, type OnlineResult, RESULT_FIELDS, type ResultOf } from '../model/result-types.js';
import type { OnlineModelName } from './keys.js';

/**
 * Results ↔ Parquet, one row per result, typed by a column table rather than guessed from the
 * data (a guess would make a double column whose values happen to be whole INT32). Column names
 * are snake_case for Athena; `model`, `date` and `hour` are not columns: they are the Hive
 * partitions of the key, and Athena refuses a column that repeats a partition's name. `time` and
 * `learned_at` stay the ISO strings of the JSON results, so a row read back equals the result
 * written, byte for byte (`from_iso8601_timestamp(time)` in Athena, `time::TIMESTAMPTZ` in DuckDB).
 */
interface Column<R> {
  name: string;
  type: BasicType;
  nullable?: boolean;
  get(result: R): string | number | bigint | null;
  set(result: Record<string, unknown>, value: unknown): void;
}

const top = <R>(name: string, field: string, type: BasicType, nullable = false): Column<R> => ({
  name,
  type,
  nullable,
  get: (result) => toCell(type, (result as Record<string, unknown>)[field]),
  set: (result, value) => {
    result[field] = fromCell(value);
  },
});
const metric = <R>(name: string, field: string, type: BasicType, nullable = true): Column<R> => ({
  name,
  type,
  nullable,
  get: (result) => toCell(type, (result as { metrics?: Record<string, unknown> }).metrics?.[field] ?? null),
  set: (result, value) => {
    result.metrics ??= {};
    (result.metrics as Record<string, unknown>)[field] = fromCell(value);
  },
});

function toCell(type: BasicType, value: unknown): string | number | bigint | null {
  if (value === null || value === undefined) return null;
  if (type === 'INT64') return BigInt(value as number);
  return value as string | number;
}
/** INT64 cells come back as bigint; every number here is far inside the safe range. */
function fromCell(value: unknown): unknown {
  return typeof value === 'bigint' ? Number(value) : (value ?? null);
}

/** Each field's Parquet type; a classifier's truth and prediction are classes, a regressor's numbers. */
const FIELD_TYPES: Record<OnlineModelName, Record<string, BasicType>> = {
  classification: { truth: 'INT32', probability: 'DOUBLE', prediction: 'INT32' },
  regression: { truth: 'DOUBLE', prediction: 'DOUBLE' },
};
const COMMON_TYPES: Record<string, BasicType> = {
  tick: 'INT64',
  time: 'STRING',
  learnedAt: 'STRING',
  learned: 'INT64',
  driftResets: 'INT32',
  modelName: 'STRING',
};
const snakeCase = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** A result's fields in order, the metrics spread in their own order (`model` is the partition). */
function columnsOf<M extends OnlineModelName>(model: M): Column<ResultOf<M>>[] {
  const fields = RESULT_FIELDS[model] as readonly string[];
  const metrics = METRIC_FIELDS[model] as readonly string[];
  return fields.flatMap((field): Column<ResultOf<M>>[] => {
    if (field === 'model') return [];
    if (field === 'metrics')
      return metrics.map((m) => metric(snakeCase(m), m, m === 'count' ? 'INT32' : 'DOUBLE', m !== 'count'));
    const type = FIELD_TYPES[model][field] ?? COMMON_TYPES[field];
    if (!type) throw new Error(`no Parquet type for the result field ${field}`);
    return [top(snakeCase(field), field, type)];
  });
}

const COLUMNS: { [M in OnlineModelName]: Column<ResultOf<M>>[] } = {
  classification: columnsOf('classification'),
  regression: columnsOf('regression'),
};

export function writeHistoryParquet<M extends OnlineModelName>(
  model: M,
  results: readonly ResultOf<M>[],
): Uint8Array {
  const columns = COLUMNS[model] as Column<ResultOf<M>>[];
  const columnData: ColumnSource[] = columns.map((column) => ({
    name: column.name,
    type: column.type,
    nullable: column.nullable ?? false,
    data: results.map((result) => column.get(result)),
  }));
  // No clock or host in the file: the same results give the same bytes.
  return new Uint8Array(
    parquetWriteBuffer({
      columnData,
      rowGroupSize: 100_000,
      createdBy: 'streaming-ml-pipelines online',
      kvMetadata: [{ key: 'model', value: model }],
    }),
  );
}

export async function readHistoryParquet<M extends OnlineModelName>(
  model: M,
  bytes: Uint8Array,
): Promise<ResultOf<M>[]> {
  // hyparquet wants an ArrayBuffer holding exactly the file.
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const metadata = parquetMetadata(file);
  const rows = await parquetReadObjects({ file, metadata });
  const columns = COLUMNS[model] as Column<ResultOf<M>>[];
  return rows.map((row) => {
    const loose: Record<string, unknown> = { model };
    for (const column of columns) column.set(loose, row[column.name]);
    return ordered(model, loose) as ResultOf<M>;
  });
}

function ordered(model: OnlineModelName, loose: Record<string, unknown>): OnlineResult {
  const metrics = loose.metrics as Record<string, unknown>;
  const result: Record<string, unknown> = {};
  for (const field of RESULT_FIELDS[model] as readonly string[])
    result[field] =
      field === 'metrics'
        ? Object.fromEntries((METRIC_FIELDS[model] as readonly string[]).map((m) => [m, metrics[m]]))
        : loose[field];
  return result as unknown as OnlineResult;
}
