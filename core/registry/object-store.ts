/**
 * The registry's only dependency: a key/value store with S3's conditional-write semantics. Pure
 * port, no AWS SDK; `adapters/s3-object-store.ts` implements it over S3 and
 * `memory-object-store.ts` in memory.
 */

/** A stored object. Bodies are UTF-8 text: the registry stores only JSON. */
export interface StoredObject {
  body: string;
  /** As S3 returns it, quoted (`"9b2cf535f27731c974343645a3985328"`). */
  etag: string;
}

export interface PutOptions {
  contentType?: string;
  /** Write only if the current object has this ETag (compare-and-swap). */
  ifMatch?: string;
  /** `'*'`: write only if no object has this key yet (create-only). */
  ifNoneMatch?: '*';
}

export interface ObjectStore {
  get(key: string): Promise<StoredObject | undefined>;
  /** Throws `PreconditionFailedError` when `ifMatch` / `ifNoneMatch` does not hold. */
  put(key: string, body: string, options?: PutOptions): Promise<{ etag: string }>;
  /** Every key under the prefix, in S3's order (UTF-8 byte order), all pages. */
  list(prefix: string): Promise<string[]>;
}

/**
 * A conditional write was refused (S3's 412 PreconditionFailed): someone else changed or created
 * the object since it was read. Expected under concurrency, so callers branch on it.
 */
export class PreconditionFailedError extends Error {
  override readonly name = 'PreconditionFailedError';
  constructor(
    readonly key: string,
    readonly condition: 'If-Match' | 'If-None-Match',
  ) {
    super(`conditional write of "${key}" refused: its ${condition} precondition did not hold`);
  }
}

/** ETags compare without their quotes (and without a weak `W/` prefix). */
export function sameEtag(a: string, b: string): boolean {
  const bare = (etag: string) => etag.replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
  return bare(a) === bare(b);
}
