import {
  GetObjectCommand,
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
} from '../../core/registry/object-store.js';

interface S3ErrorShape {
  name?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number };
}

const statusOf = (error: unknown) => (error as S3ErrorShape).$metadata?.httpStatusCode;
const codeOf = (error: unknown) => (error as S3ErrorShape).name ?? (error as S3ErrorShape).Code;

/** S3 answers 409 when another conditional write to the key is in flight; AWS says to retry. */
const CONFLICT_RETRIES = 3;

/** The registry's ObjectStore over one S3 bucket. */
export class S3ObjectStore implements ObjectStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    /** Keys per ListObjectsV2 page. @default - S3's own (1,000) */
    private readonly pageSize?: number,
  ) {}

  async get(key: string): Promise<StoredObject | undefined> {
    try {
      const response = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      const body = (await response.Body?.transformToString('utf8')) ?? '';
      if (!response.ETag) throw new Error(`S3 returned no ETag for s3://${this.bucket}/${key}`);
      return { body, etag: response.ETag };
    } catch (error) {
      if (codeOf(error) === 'NoSuchKey' || statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  async put(key: string, body: string, options: PutOptions = {}): Promise<{ etag: string }> {
    const input: PutObjectCommandInput = {
      Bucket: this.bucket,
      Key: key,
      Body: body,
      ...(options.contentType ? { ContentType: options.contentType } : {}),
      ...(options.ifMatch ? { IfMatch: options.ifMatch } : {}),
      ...(options.ifNoneMatch ? { IfNoneMatch: options.ifNoneMatch } : {}),
    };
    for (let attempt = 0; ; attempt++) {
      try {
        const response = await this.s3.send(new PutObjectCommand(input));
        return { etag: response.ETag ?? '' };
      } catch (error) {
        const condition = options.ifMatch ? 'If-Match' : 'If-None-Match';
        const conditional = options.ifMatch !== undefined || options.ifNoneMatch !== undefined;
        if (conditional && (statusOf(error) === 412 || codeOf(error) === 'PreconditionFailed'))
          throw new PreconditionFailedError(key, condition);
        // S3 answers If-Match on a missing key with 404 NoSuchKey: the object we expected is gone.
        if (options.ifMatch && (statusOf(error) === 404 || codeOf(error) === 'NoSuchKey'))
          throw new PreconditionFailedError(key, 'If-Match');
        // Retrying re-evaluates the same condition, so a write that lost meanwhile still gets its 412.
        if (conditional && statusOf(error) === 409 && attempt < CONFLICT_RETRIES) {
          await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
          continue;
        }
        throw error;
      }
    }
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    for await (const page of paginateListObjectsV2(
      { client: this.s3, ...(this.pageSize ? { pageSize: this.pageSize } : {}) },
      { Bucket: this.bucket, Prefix: prefix },
    ))
      for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
    return keys;
  }
}
