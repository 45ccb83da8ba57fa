import type { S3Client } from '@aws-sdk/client-s3';
import type { HourlyBuckets } from '../../core/water/hourly-series.js';
import { handlerEnv } from './env.js';
import { S3ObjectStore } from './s3-object-store.js';

/** Where the pipeline's hourly buckets live between runs (data bucket). */
export const bucketsKey = (pipeline: string) => `datasets/${pipeline}/hourly-buckets.json`;

export interface StoredBuckets {
  buckets: HourlyBuckets;
  /** The ETag read, for a conditional write back; undefined when there was no file yet. */
  etag?: string;
}

const store = (s3: S3Client) => new S3ObjectStore(s3, handlerEnv.dataBucket());

export async function loadBuckets(s3: S3Client, pipeline: string): Promise<StoredBuckets | undefined> {
  const object = await store(s3).get(bucketsKey(pipeline));
  return object ? { buckets: JSON.parse(object.body) as HourlyBuckets, etag: object.etag } : undefined;
}

/**
 * Writes the buckets only if nobody changed them since `readEtag` (or created them, when there
 * was none): two runs merging at once cannot silently drop each other's readings. The loser
 * gets a PreconditionFailedError, and the state machine's retry re-reads and merges again.
 */
export async function saveBuckets(
  s3: S3Client,
  pipeline: string,
  buckets: HourlyBuckets,
  readEtag: string | undefined,
): Promise<void> {
  await store(s3).put(bucketsKey(pipeline), JSON.stringify(buckets), {
    contentType: 'application/json',
    ...(readEtag ? { ifMatch: readEtag } : { ifNoneMatch: '*' }),
  });
}
