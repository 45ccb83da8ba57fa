import type { S3Client } from '@aws-sdk/client-s3';
import { type DayTable, writeTableDay as writeDay } from '../../../adapters/s3-day-table.js';
import type { FeatureColumn } from '../../../core/features/columns.js';
import type { Row } from '../model/types.js';
import { SYSTEM } from './keys.js';

export { type DayTable, readTableRows, tableDays, tableFiles } from '../../../adapters/s3-day-table.js';

/** Writes one day's rows of a churn table (the whole partition: a rerun overwrites it with the same bytes). */
export function writeTableDay(
  s3: S3Client,
  table: DayTable,
  day: string,
  rows: readonly Row[],
  columns: readonly FeatureColumn[],
): Promise<string> {
  return writeDay(s3, table, day, rows, columns, SYSTEM);
}
