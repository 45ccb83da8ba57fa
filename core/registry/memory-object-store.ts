import { createHash } from 'node:crypto';
import {
  type ObjectStore,
  PreconditionFailedError,
  type PutOptions,
  type StoredObject,
  sameEtag,
} from './object-store.js';

/**
 * An ObjectStore in memory with S3's rules: ETags are the quoted MD5 of the body (as S3 gives for
 * single-part uploads), `ifNoneMatch: '*'` fails on an existing key, `ifMatch` fails on a
 * different ETag or a missing key, and each put is atomic. For unit tests and offline use.
 */
export class InMemoryObjectStore implements ObjectStore {
  private readonly objects = new Map<string, StoredObject & { contentType?: string }>();

  async get(key: string): Promise<StoredObject | undefined> {
    const object = this.objects.get(key);
    return object ? { body: object.body, etag: object.etag } : undefined;
  }

  async put(key: string, body: string, options: PutOptions = {}): Promise<{ etag: string }> {
    // Check and write happen in one synchronous step, so concurrent puts cannot interleave.
    const current = this.objects.get(key);
    if (options.ifNoneMatch !== undefined) {
      if (options.ifNoneMatch !== '*')
        throw new Error(`ifNoneMatch accepts only '*', got "${options.ifNoneMatch}"`);
      if (current) throw new PreconditionFailedError(key, 'If-None-Match');
    }
    if (options.ifMatch !== undefined && (!current || !sameEtag(current.etag, options.ifMatch)))
      throw new PreconditionFailedError(key, 'If-Match');
    const etag = `"${createHash('md5').update(body, 'utf8').digest('hex')}"`;
    this.objects.set(key, {
      body,
      etag,
      ...(options.contentType ? { contentType: options.contentType } : {}),
    });
    return { etag };
  }

  async list(prefix: string): Promise<string[]> {
    return [...this.objects.keys()].filter((key) => key.startsWith(prefix)).sort(byUtf8Bytes);
  }

  /** Test hook: what S3 would show for the key, including its content type. */
  peek(key: string): (StoredObject & { contentType?: string }) | undefined {
    return this.objects.get(key);
  }
}

function byUtf8Bytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
