import type { S3Client } from '@aws-sdk/client-s3';
import type { FeatureColumn } from '../core/features/columns.js';
import { writeFeatureParquet } from '../core/features/parquet.js';
import { readParquet } from '../core/features/parquet-read.js';
import { type DayTable, dayTable } from '../core/streaming/day-table.js';
import { handlerEnv } from '../lambdas/platform/env.js';
import { getBytes, listObjects, putObject } from './s3-object-store.js';

/**
 * Day-partitioned Parquet tables of the data bucket (`<table>/<system>/dt=YYYY-MM-DD/<file>`), the
 * layout the Glue tables and `smlp query` read: list, read and write one day's partition.
 */

/** A row as the Parquet writer takes it. */
export { type DayTable, dayTable };

export type Row = Record<string, string | number | null>;

/** The table's files, oldest day first, with their ETags (which pin what a model learned from). */
export async function tableFiles(
  s3: S3Client,
  table: DayTable,
): Promise<{ day: string; key: string; etag: string }[]> {
  const files: { day: string; key: string; etag: string }[] = [];
  for (const object of await listObjects(s3, handlerEnv.dataBucket(), table.prefix)) {
    const day = table.dayOf(object.key);
    if (day) files.push({ day, key: object.key, etag: object.etag ?? '' });
  }
  return files.sort((a, b) => a.day.localeCompare(b.day));
}

/** The days that have a file in the table, oldest first. */
export async function tableDays(s3: S3Client, table: DayTable): Promise<string[]> {
  return (await tableFiles(s3, table)).map((file) => file.day);
}

/** The rows of the given days, read from their Parquet files; a day without a file adds none. */
export async function readTableRows(s3: S3Client, table: DayTable, days: readonly string[]): Promise<Row[]> {
  const rows: Row[] = [];
  for (const day of days) {
    const bytes = await getBytes(s3, handlerEnv.dataBucket(), table.key(day));
    if (bytes) for (const row of (await readParquet(bytes)).rows) rows.push(row as Row);
  }
  return rows;
}

/** Writes one day's rows (the whole partition: a rerun overwrites it with the same bytes). */
export async function writeTableDay(
  s3: S3Client,
  table: DayTable,
  day: string,
  rows: readonly Row[],
  columns: readonly FeatureColumn[],
  /** The system that writes it, recorded in the file's metadata. */
  pipeline: string,
): Promise<string> {
  const key = table.key(day);
  const bytes = writeFeatureParquet(rows as never, columns, {
    metadata: { pipeline, codeVersion: handlerEnv.codeVersion() },
  });
  await putObject(s3, handlerEnv.dataBucket(), key, bytes, { contentType: 'application/vnd.apache.parquet' });
  return key;
}
