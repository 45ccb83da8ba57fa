import type { S3Client } from '@aws-sdk/client-s3';
import { emptyBuckets, type HourlyBuckets } from '../../core/water/hourly-series.js';
import { getJson, putJson } from './s3-objects.js';

/** Where the pipeline's hourly buckets live between runs (data bucket). */
export const bucketsKey = (pipeline: string) => `datasets/${pipeline}/hourly-buckets.json`;

export async function loadBuckets(
  s3: S3Client,
  bucket: string,
  pipeline: string,
): Promise<HourlyBuckets | undefined> {
  return getJson<HourlyBuckets>(s3, bucket, bucketsKey(pipeline));
}

export async function saveBuckets(
  s3: S3Client,
  bucket: string,
  pipeline: string,
  buckets: HourlyBuckets,
): Promise<void> {
  await putJson(s3, bucket, bucketsKey(pipeline), buckets);
}

export { emptyBuckets };
