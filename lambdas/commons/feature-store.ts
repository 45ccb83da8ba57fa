import type { S3Client } from '@aws-sdk/client-s3';
import type { FeatureRow } from '../../core/features/columns.js';
import { FEATURES_PREFIX } from '../../core/features/keys.js';
import { readParquet } from '../../core/features/parquet-read.js';
import { handlerEnv } from './env.js';
import { getBytes, listObjects } from './s3-objects.js';

/** The days that have a features file, oldest first. */
export async function featureDays(s3: S3Client, pipeline: string): Promise<string[]> {
  const objects = await listObjects(s3, handlerEnv.dataBucket(), `${FEATURES_PREFIX}${pipeline}/`);
  return objects
    .map((object) => /\/dt=(\d{4}-\d{2}-\d{2})\/features\.parquet$/.exec(object.key)?.[1])
    .filter((day): day is string => day !== undefined)
    .sort();
}

/** Feature rows of the given days, read from their Parquet files. */
export async function readFeatureRows(
  s3: S3Client,
  pipeline: string,
  days: readonly string[],
): Promise<FeatureRow[]> {
  const rows: FeatureRow[] = [];
  for (const day of days) {
    const bytes = await getBytes(
      s3,
      handlerEnv.dataBucket(),
      `${FEATURES_PREFIX}${pipeline}/dt=${day}/features.parquet`,
    );
    if (bytes) rows.push(...((await readParquet(bytes)).rows as FeatureRow[]));
  }
  return rows;
}
