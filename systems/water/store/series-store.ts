import type { S3Client } from '@aws-sdk/client-s3';
import { S3ObjectStore } from '../../../adapters/s3-object-store.js';
import { handlerEnv } from '../../../lambdas/platform/env.js';
import type { HourlyBuckets } from '../model/hourly-series.js';
import { waterKeys } from './keys.js';

export interface StoredBuckets {
  buckets: HourlyBuckets;
  /** The ETag read, for a conditional write back; undefined when there was no file yet. */
  etag?: string;
}

const store = (s3: S3Client) => new S3ObjectStore(s3, handlerEnv.dataBucket());

/** The hourly buckets kept between runs (data bucket); undefined before the first run. */
export async function loadBuckets(s3: S3Client): Promise<StoredBuckets | undefined> {
  const object = await store(s3).get(waterKeys.hourlyBuckets);
  return object ? { buckets: JSON.parse(object.body) as HourlyBuckets, etag: object.etag } : undefined;
}

/**
 * Writes the buckets only if nobody changed them since `readEtag` (or created them, when there
 * was none): two runs merging at once cannot silently drop each other's readings. The loser
 * gets a PreconditionFailedError, and the state machine's retry re-reads and merges again.
 */
export async function saveBuckets(
  s3: S3Client,
  buckets: HourlyBuckets,
  readEtag: string | undefined,
): Promise<void> {
  await store(s3).put(waterKeys.hourlyBuckets, JSON.stringify(buckets), {
    contentType: 'application/json',
    ...(readEtag ? { ifMatch: readEtag } : { ifNoneMatch: '*' }),
  });
}
