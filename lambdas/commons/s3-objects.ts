import {
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { PreconditionFailedError } from '../../core/registry/object-store.js';

/** Small typed helpers over the S3 calls every handler makes. */
export async function getJson<T>(s3: S3Client, bucket: string, key: string): Promise<T | undefined> {
  const bytes = await getBytes(s3, bucket, key);
  return bytes === undefined ? undefined : (JSON.parse(Buffer.from(bytes).toString('utf8')) as T);
}

export async function getBytes(s3: S3Client, bucket: string, key: string): Promise<Uint8Array | undefined> {
  try {
    const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return await response.Body?.transformToByteArray();
  } catch (error) {
    if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return undefined;
    throw error;
  }
}

export async function putJson(s3: S3Client, bucket: string, key: string, value: unknown): Promise<void> {
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: `${JSON.stringify(value, null, 2)}\n`,
      ContentType: 'application/json',
    }),
  );
}

export async function putGzipNdjson(
  s3: S3Client,
  bucket: string,
  key: string,
  body: Uint8Array,
): Promise<void> {
  await s3.send(
    // A .gz file, not Content-Encoding: gzip, so browsers and HTTP clients do not unzip it on the way.
    new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/gzip' }),
  );
}

/** Splits `s3://bucket/key` with a clear error for anything else. */
export function parseS3Uri(uri: string): { bucket: string; key: string } {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!match?.[1] || !match[2]) throw new Error(`"${uri}" is not an S3 URI of the form s3://bucket/key`);
  return { bucket: match[1], key: match[2] };
}

/** Bytes and ETag of an object, for a read-modify-write that must not lose a concurrent write. */
export async function getBytesWithEtag(
  s3: S3Client,
  bucket: string,
  key: string,
): Promise<{ bytes: Uint8Array; etag: string } | undefined> {
  try {
    const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const bytes = await response.Body?.transformToByteArray();
    return bytes && response.ETag ? { bytes, etag: response.ETag } : undefined;
  } catch (error) {
    if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return undefined;
    throw error;
  }
}

/**
 * Writes only if the object still has `etag` (or does not exist yet, when `etag` is undefined);
 * S3 answers 412 otherwise, which becomes a PreconditionFailedError the caller can retry on.
 */
export async function putGzipIfUnchanged(
  s3: S3Client,
  bucket: string,
  key: string,
  body: Uint8Array,
  etag: string | undefined,
): Promise<void> {
  try {
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: body,
        ContentType: 'application/gzip',
        ...(etag ? { IfMatch: etag } : { IfNoneMatch: '*' }),
      }),
    );
  } catch (error) {
    const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
    if (
      e.name === 'PreconditionFailed' ||
      e.$metadata?.httpStatusCode === 412 ||
      (etag && e.$metadata?.httpStatusCode === 404)
    ) {
      throw new PreconditionFailedError(key, etag ? 'If-Match' : 'If-None-Match');
    }
    throw error;
  }
}

/** Every object under a prefix (all pages), with its ETag: what a run lists before it reads. */
export async function listObjects(
  s3: S3Client,
  bucket: string,
  prefix: string,
): Promise<{ key: string; etag?: string }[]> {
  const objects: { key: string; etag?: string }[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    for (const object of page.Contents ?? []) {
      if (object.Key) objects.push({ key: object.Key, ...(object.ETag ? { etag: object.ETag } : {}) });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return objects;
}
