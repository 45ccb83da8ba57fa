import {
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type PutObjectCommandInput,
  paginateListObjectsV2,
  type S3Client,
} from '@aws-sdk/client-s3';
import {
  type ObjectStore,
  PreconditionFailedError,
  type PutOptions,
  type StoredObject,
} from '../core/registry/object-store.js';

/**
 * The one S3 adapter: every read, write and listing of the handlers, the CLI and the local
 * runtime goes through here, so S3's answers are mapped one way (404 → undefined, 412 → a
 * PreconditionFailedError, 409 → retried) and conditional writes are retried by one policy.
 */
interface S3ErrorShape {
  name?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number };
}

const statusOf = (error: unknown) => (error as S3ErrorShape).$metadata?.httpStatusCode;
const codeOf = (error: unknown) => (error as S3ErrorShape).name ?? (error as S3ErrorShape).Code;

/** The object (or the bucket) is not there. */
export function isNotFound(error: unknown): boolean {
  const code = codeOf(error);
  return code === 'NoSuchKey' || code === 'NotFound' || statusOf(error) === 404;
}

/** A conditional request (If-Match, copy-source-if-match) was refused. */
export function isPreconditionFailed(error: unknown): boolean {
  return statusOf(error) === 412 || codeOf(error) === 'PreconditionFailed';
}

/** S3 answers 409 when another conditional write to the key is in flight; AWS says to retry. */
const CONFLICT_RETRIES = 3;

/** Gets an object's bytes and ETag; undefined when it does not exist. */
export async function getObject(
  s3: S3Client,
  bucket: string,
  key: string,
): Promise<{ bytes: Uint8Array; etag: string } | undefined> {
  try {
    const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const bytes = (await response.Body?.transformToByteArray()) ?? new Uint8Array();
    if (!response.ETag) throw new Error(`S3 returned no ETag for s3://${bucket}/${key}`);
    return { bytes, etag: response.ETag };
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/**
 * Writes an object. With `ifMatch` / `ifNoneMatch` the write is conditional: a refusal (412, or
 * 404 for If-Match on a missing key) becomes a PreconditionFailedError the caller can re-read
 * and retry on; a 409 (a conditional write in flight) is retried here, re-evaluating the same
 * condition, so a write that lost meanwhile still gets its 412.
 */
export async function putObject(
  s3: S3Client,
  bucket: string,
  key: string,
  body: string | Uint8Array,
  options: PutOptions = {},
): Promise<{ etag: string }> {
  const input: PutObjectCommandInput = {
    Bucket: bucket,
    Key: key,
    Body: body,
    ...(options.contentType ? { ContentType: options.contentType } : {}),
    ...(options.ifMatch ? { IfMatch: options.ifMatch } : {}),
    ...(options.ifNoneMatch ? { IfNoneMatch: options.ifNoneMatch } : {}),
  };
  const conditional = options.ifMatch !== undefined || options.ifNoneMatch !== undefined;
  for (let attempt = 0; ; attempt++) {
    try {
      const response = await s3.send(new PutObjectCommand(input));
      return { etag: response.ETag ?? '' };
    } catch (error) {
      const condition = options.ifMatch ? 'If-Match' : 'If-None-Match';
      if (conditional && isPreconditionFailed(error)) throw new PreconditionFailedError(key, condition);
      if (options.ifMatch && isNotFound(error)) throw new PreconditionFailedError(key, 'If-Match');
      if (conditional && statusOf(error) === 409 && attempt < CONFLICT_RETRIES) {
        await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
        continue;
      }
      throw error;
    }
  }
}

/** Every object under a prefix (all pages), with its ETag: what a run lists before it reads. */
export async function listObjects(
  s3: S3Client,
  bucket: string,
  prefix: string,
  pageSize?: number,
): Promise<{ key: string; etag?: string }[]> {
  const objects: { key: string; etag?: string }[] = [];
  for await (const page of paginateListObjectsV2(
    { client: s3, ...(pageSize ? { pageSize } : {}) },
    { Bucket: bucket, Prefix: prefix },
  ))
    for (const object of page.Contents ?? [])
      if (object.Key) objects.push({ key: object.Key, ...(object.ETag ? { etag: object.ETag } : {}) });
  return objects;
}

/** An object's ETag without reading it; undefined when it does not exist. */
export async function headEtag(s3: S3Client, bucket: string, key: string): Promise<string | undefined> {
  try {
    return (await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).ETag;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

export async function getBytes(s3: S3Client, bucket: string, key: string): Promise<Uint8Array | undefined> {
  return (await getObject(s3, bucket, key))?.bytes;
}

export async function getJson<T>(s3: S3Client, bucket: string, key: string): Promise<T | undefined> {
  const bytes = await getBytes(s3, bucket, key);
  return bytes === undefined ? undefined : (JSON.parse(Buffer.from(bytes).toString('utf8')) as T);
}

export async function putJson(s3: S3Client, bucket: string, key: string, value: unknown): Promise<void> {
  await putObject(s3, bucket, key, `${JSON.stringify(value, null, 2)}\n`, {
    contentType: 'application/json',
  });
}

/** A .gz file, not Content-Encoding: gzip, so browsers and HTTP clients do not unzip it on the way. */
export async function putGzipNdjson(
  s3: S3Client,
  bucket: string,
  key: string,
  body: Uint8Array,
  condition: Pick<PutOptions, 'ifMatch' | 'ifNoneMatch'> = {},
): Promise<void> {
  await putObject(s3, bucket, key, body, { contentType: 'application/gzip', ...condition });
}

/** Splits `s3://bucket/key` with a clear error for anything else. */
export function parseS3Uri(uri: string): { bucket: string; key: string } {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!match?.[1] || !match[2]) throw new Error(`"${uri}" is not an S3 URI of the form s3://bucket/key`);
  return { bucket: match[1], key: match[2] };
}

/** The registry's ObjectStore over one S3 bucket (text bodies). */
export class S3ObjectStore implements ObjectStore {
  constructor(
    private readonly s3: S3Client,
    readonly bucket: string,
    /** Keys per ListObjectsV2 page. @default - S3's own (1,000) */
    private readonly pageSize?: number,
  ) {}

  async get(key: string): Promise<StoredObject | undefined> {
    const object = await getObject(this.s3, this.bucket, key);
    return object ? { body: Buffer.from(object.bytes).toString('utf8'), etag: object.etag } : undefined;
  }

  put(key: string, body: string, options: PutOptions = {}): Promise<{ etag: string }> {
    return putObject(this.s3, this.bucket, key, body, options);
  }

  async list(prefix: string): Promise<string[]> {
    return (await listObjects(this.s3, this.bucket, prefix, this.pageSize)).map((object) => object.key);
  }
}
