import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { type BasicType, type ColumnSource, parquetWriteBuffer } from 'hyparquet-writer';
import type { ClassificationResult, OnlineResult, RegressionResult, ResultOf } from '../model/prequential.js';
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

const common = <R>(): Column<R>[] => [
  top('tick', 'tick', 'INT64'),
  top('time', 'time', 'STRING'),
  top('learned_at', 'learnedAt', 'STRING'),
];
const trailer = <R>(): Column<R>[] => [
  top('learned', 'learned', 'INT64'),
  top('drift_resets', 'driftResets', 'INT32'),
  top('model_name', 'modelName', 'STRING'),
];

const COLUMNS: { [M in OnlineModelName]: Column<ResultOf<M>>[] } = {
  classification: [
    ...common<ClassificationResult>(),
    top('truth', 'truth', 'INT32'),
    top('probability', 'probability', 'DOUBLE'),
    top('prediction', 'prediction', 'INT32'),
    metric('count', 'count', 'INT32', false),
    metric('accuracy', 'accuracy', 'DOUBLE'),
    metric('f1', 'f1', 'DOUBLE'),
    metric('log_loss', 'logLoss', 'DOUBLE'),
    metric('roc_auc', 'rocAuc', 'DOUBLE'),
    ...trailer<ClassificationResult>(),
  ],
  regression: [
    ...common<RegressionResult>(),
    top('truth', 'truth', 'DOUBLE'),
    top('prediction', 'prediction', 'DOUBLE'),
    metric('count', 'count', 'INT32', false),
    metric('mae', 'mae', 'DOUBLE'),
    metric('rmse', 'rmse', 'DOUBLE'),
    metric('r2', 'r2', 'DOUBLE'),
    ...trailer<RegressionResult>(),
  ],
};

/** The order of a result's keys as the learner builds them, so a row read back stringifies alike. */
const FIELD_ORDER: { [M in OnlineModelName]: string[] } = {
  classification: [
    'model',
    'tick',
    'time',
    'learnedAt',
    'truth',
    'probability',
    'prediction',
    'metrics',
    'learned',
    'driftResets',
    'modelName',
  ],
  regression: [
    'model',
    'tick',
    'time',
    'learnedAt',
    'truth',
    'prediction',
    'metrics',
    'learned',
    'driftResets',
    'modelName',
  ],
};
const METRIC_ORDER: { [M in OnlineModelName]: string[] } = {
  classification: ['count', 'accuracy', 'f1', 'logLoss', 'rocAuc'],
  regression: ['count', 'mae', 'rmse', 'r2'],
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
  for (const field of FIELD_ORDER[model])
    result[field] =
      field === 'metrics'
        ? Object.fromEntries(METRIC_ORDER[model].map((m) => [m, metrics[m]]))
        : loose[field];
  return result as unknown as OnlineResult;
}
