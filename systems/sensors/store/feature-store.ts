import type { S3Client } from '@aws-sdk/client-s3';
import { getBytes, listObjects } from '../../../adapters/s3-object-store.js';
import type { FeatureRow } from '../../../core/features/columns.js';
import { readParquet } from '../../../core/features/parquet-read.js';
import { handlerEnv } from '../../../lambdas/platform/env.js';
import { sensorKeys } from './keys.js';

export interface FeatureFile {
  readonly day: string;
  readonly key: string;
  /** Pins the exact file a model was trained on. */
  readonly etag: string;
}

/** The days that have a features file, oldest first. */
export async function featureFiles(s3: S3Client): Promise<FeatureFile[]> {
  const files: FeatureFile[] = [];
  for (const object of await listObjects(s3, handlerEnv.dataBucket(), sensorKeys.featuresPrefix)) {
    const day = sensorKeys.dayOfFeatures(object.key);
    if (day) files.push({ day, key: object.key, etag: object.etag ?? '' });
  }
  return files.sort((a, b) => a.day.localeCompare(b.day));
}

export async function featureDays(s3: S3Client): Promise<string[]> {
  return (await featureFiles(s3)).map((file) => file.day);
}

/** Feature rows of the given days, read from their Parquet files; a day without a file adds none. */
export async function readFeatureRows(s3: S3Client, days: readonly string[]): Promise<FeatureRow[]> {
  const rows: FeatureRow[] = [];
  for (const day of days) {
    const bytes = await getBytes(s3, handlerEnv.dataBucket(), sensorKeys.features(day));
    if (bytes) rows.push(...((await readParquet(bytes)).rows as FeatureRow[]));
  }
  return rows;
}
