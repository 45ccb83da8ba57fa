import type { S3Client } from '@aws-sdk/client-s3';
import { PreconditionFailedError } from '../core/registry/object-store.js';
import { decodeNdjsonGzip, encodeNdjsonGzip } from '../core/streaming/ndjson.js';
import { getObject, putGzipNdjson } from './s3-object-store.js';

/** Rounds of read-merge-write before the conflict goes to the caller (a state machine retries the step). */
const MERGE_ATTEMPTS = 5;

/**
 * Adds items to a gzipped NDJSON object that other writers may be adding to at the same time:
 * read, merge, write back only if nobody wrote in between (If-Match, or If-None-Match for a new
 * object), again from the read on a conflict. `merge` returns what the object should hold, or
 * undefined when the items change nothing (then nothing is written). Resolves with the counts
 * before and after.
 */
export async function mergeIntoNdjsonObject<T>(
  s3: S3Client,
  bucket: string,
  key: string,
  merge: (existing: T[]) => T[] | undefined,
): Promise<{ before: number; after: number }> {
  for (let attempt = 1; ; attempt++) {
    const current = await getObject(s3, bucket, key);
    const existing = current ? decodeNdjsonGzip<T>(current.bytes) : [];
    const merged = merge(existing);
    if (merged === undefined) return { before: existing.length, after: existing.length };
    try {
      await putGzipNdjson(
        s3,
        bucket,
        key,
        encodeNdjsonGzip(merged),
        current ? { ifMatch: current.etag } : { ifNoneMatch: '*' },
      );
      return { before: existing.length, after: merged.length };
    } catch (error) {
      if (!(error instanceof PreconditionFailedError) || attempt >= MERGE_ATTEMPTS) throw error;
    }
  }
}
