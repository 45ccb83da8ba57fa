import type { S3Client } from '@aws-sdk/client-s3';
import { getObject, headEtag, putObject } from '../../../adapters/s3-object-store.js';
import { PreconditionFailedError, sameEtag } from '../../../core/registry/object-store.js';
import type { Checkpoint } from '../model/prequential.js';
import { type OnlineModelName, onlineKeys } from './keys.js';

/**
 * A model's checkpoint in the artifacts bucket, read with its ETag and written only if nobody
 * wrote it since (If-Match; If-None-Match: * for the first). The conditional write is what makes
 * the learner one writer per model: a stale invocation (one that read an older checkpoint) gets a
 * PreconditionFailedError, its batch fails, and the retry starts from the newer checkpoint.
 */
export interface ReadCheckpoint {
  checkpoint: Checkpoint;
  etag: string;
}

export async function readCheckpoint(
  s3: S3Client,
  bucket: string,
  model: OnlineModelName,
): Promise<ReadCheckpoint | undefined> {
  const object = await getObject(s3, bucket, onlineKeys.checkpoint(model));
  if (!object) return undefined;
  const checkpoint = JSON.parse(Buffer.from(object.bytes).toString('utf8')) as Checkpoint;
  if (checkpoint.version !== 1)
    throw new Error(
      `${onlineKeys.checkpoint(model)} has version ${JSON.stringify(checkpoint.version)}; this learner reads version 1`,
    );
  return { checkpoint, etag: object.etag };
}

/** Throws PreconditionFailedError when the checkpoint changed since `readEtag` (or appeared, when undefined). */
export async function writeCheckpoint(
  s3: S3Client,
  bucket: string,
  model: OnlineModelName,
  checkpoint: Checkpoint,
  readEtag: string | undefined,
): Promise<void> {
  await putObject(s3, bucket, onlineKeys.checkpoint(model), JSON.stringify(checkpoint), {
    contentType: 'application/json',
    ...(readEtag === undefined ? { ifNoneMatch: '*' } : { ifMatch: readEtag }),
  });
}

/**
 * Throws PreconditionFailedError when another writer has written the checkpoint since `readEtag`.
 * The learner asks before it writes any result: a stale writer then stops before its results can
 * land after the other writer's (only the final If-Match is airtight; this narrows the window to
 * one request).
 */
export async function assertCheckpointUnchanged(
  s3: S3Client,
  bucket: string,
  model: OnlineModelName,
  readEtag: string | undefined,
): Promise<void> {
  const key = onlineKeys.checkpoint(model);
  const current = await headEtag(s3, bucket, key);
  const unchanged =
    current === undefined ? readEtag === undefined : readEtag !== undefined && sameEtag(current, readEtag);
  if (!unchanged)
    throw new PreconditionFailedError(key, readEtag === undefined ? 'If-None-Match' : 'If-Match');
}
