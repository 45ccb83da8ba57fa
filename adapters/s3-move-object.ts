import { CopyObjectCommand, DeleteObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { archiveKeyFor } from '../core/streaming/keys.js';
import { isNotFound, isPreconditionFailed } from './s3-object-store.js';

/** `changed`: the object no longer has the ETag a run consumed; it stays in raw/ for the next run. */
export type MoveOutcome = 'moved' | 'already-archived' | 'missing' | 'changed';

/**
 * Our keys use only characters S3 takes unencoded in a copy source; anything else is encoded
 * (s3rver, unlike S3, does not decode, so encoding only when needed keeps both working).
 */
function copySourceKey(key: string): string {
  return /^[\w./=-]+$/.test(key) ? key : key.split('/').map(encodeURIComponent).join('/');
}

/**
 * Copy, then delete. Safe to repeat after a crash at any point: a copy without its delete is
 * redone (same bytes, same key), and a raw object that is gone but archived counts as done.
 */
export async function moveToArchive(
  s3: S3Client,
  bucket: string,
  rawKey: string,
  expectedEtag?: string,
): Promise<MoveOutcome> {
  const archiveKey = archiveKeyFor(rawKey);
  try {
    await s3.send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: archiveKey,
        CopySource: `${bucket}/${copySourceKey(rawKey)}`,
        // Only the bytes the run consumed: a rewritten object waits in raw/ for the next run.
        ...(expectedEtag ? { CopySourceIfMatch: expectedEtag } : {}),
      }),
    );
  } catch (error) {
    if (isPreconditionFailed(error)) return 'changed';
    if (!isNotFound(error)) throw error;
    try {
      await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: archiveKey }));
      return 'already-archived';
    } catch (headError) {
      if (isNotFound(headError)) return 'missing';
      throw headError;
    }
  }
  await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: rawKey }));
  return 'moved';
}
