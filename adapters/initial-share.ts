import type { S3Client } from '@aws-sdk/client-s3';
import { initialDatasetKey } from '../core/streaming/dataset-keys.js';
import { getJson, headEtag } from './s3-object-store.js';

/**
 * The producer's initial share of a system's data set (its key and ETag), unless a run already
 * read this very object: the run that reads it writes `{ key, etag }` to `readMarkerKey` once
 * every record is stored, so a new data set (a new ETag) is read again and the same one never is.
 */
export async function unreadInitialShare(
  s3: S3Client,
  bucket: string,
  pipeline: string,
  readMarkerKey: string,
): Promise<{ key: string; etag: string } | undefined> {
  const key = initialDatasetKey(pipeline);
  const etag = await headEtag(s3, bucket, key);
  if (!etag) return undefined;
  const read = await getJson<{ etag: string }>(s3, bucket, readMarkerKey);
  return read?.etag === etag ? undefined : { key, etag };
}
