import type { S3Client } from '@aws-sdk/client-s3';
import { initialDatasetKey } from '../core/streaming/dataset-keys.js';
import { getJson, headEtag, listObjects, putJson } from './s3-object-store.js';

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

/** What a run reads: the raw objects that arrived and, once, the initial share (the archive step moves `consumed`). */
export interface RunInputs {
  readonly runId: string;
  readonly pipeline: string;
  readonly consumed: { key: string; etag?: string }[];
  readonly initial?: { key: string; etag: string };
  readonly createdAt: string;
}

/**
 * Lists the raw objects under `rawPrefix` and the unread initial share, and keeps them as the run's
 * manifest (`manifestKey` in the artifacts bucket), so the run reads and archives exactly these.
 */
export async function planRunInputs(
  s3: S3Client,
  where: {
    dataBucket: string;
    artifactsBucket: string;
    pipeline: string;
    runId: string;
    rawPrefix: string;
    initialReadKey: string;
    manifestKey: string;
  },
): Promise<RunInputs> {
  const consumed = await listObjects(s3, where.dataBucket, where.rawPrefix);
  const initial = await unreadInitialShare(s3, where.dataBucket, where.pipeline, where.initialReadKey);
  const manifest: RunInputs = {
    runId: where.runId,
    pipeline: where.pipeline,
    consumed,
    ...(initial ? { initial } : {}),
    createdAt: new Date().toISOString(),
  };
  await putJson(s3, where.artifactsBucket, where.manifestKey, manifest);
  return manifest;
}
