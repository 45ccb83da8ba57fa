import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { listObjects } from '../adapters/s3-object-store.js';
import { decodeNdjsonGzip } from '../core/streaming/ndjson.js';

/** Every key under a prefix (paginated). */
export async function listKeys(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  return (await listObjects(s3, bucket, prefix)).map((object) => object.key);
}

/** All NDJSON rows of the .ndjson.gz objects under a prefix, with the key each came from. */
export async function readNdjsonUnder<T = unknown>(
  s3: S3Client,
  bucket: string,
  prefix: string,
): Promise<{ key: string; row: T }[]> {
  const rows: { key: string; row: T }[] = [];
  for (const key of await listKeys(s3, bucket, prefix)) {
    if (!key.endsWith('.ndjson.gz')) continue;
    const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const body = await response.Body?.transformToByteArray();
    if (body) for (const row of decodeNdjsonGzip<T>(body)) rows.push({ key, row });
  }
  return rows;
}
