import type { S3Client } from '@aws-sdk/client-s3';
import { getBytes, listObjects } from '../../adapters/s3-object-store.js';
import { reasonKind } from '../../core/pipelines/validation-helpers.js';
import type { QuarantineEntry } from '../../core/streaming/ingest-plan.js';
import { QUARANTINE_PREFIX } from '../../core/streaming/keys.js';
import { decodeNdjsonGzip } from '../../core/streaming/ndjson.js';
import type { QuarantineSystemView } from './api-types.js';

/** Objects read at once: each quarantine object is one small GET. */
const READ_CONCURRENCY = 8;
const SAMPLES = 5;

/**
 * Reads quarantine/<system>/ (ndjson.gz objects, one per ingest run with rejects, each line a
 * QuarantineEntry with its reason) and counts by reason. Objects are cached by key and ETag: a
 * page polling every two seconds reads only what ingest wrote since.
 */
export class QuarantineReader {
  private readonly cache = new Map<string, { etag: string | undefined; entries: QuarantineEntry[] }>();

  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async summary(system: string): Promise<QuarantineSystemView> {
    const prefix = `${QUARANTINE_PREFIX}${system}/`;
    const objects = (await listObjects(this.s3, this.bucket, prefix)).filter((o) =>
      o.key.endsWith('.ndjson.gz'),
    );
    const stale = objects.filter((o) => this.cache.get(o.key)?.etag !== o.etag || o.etag === undefined);
    for (let i = 0; i < stale.length; i += READ_CONCURRENCY)
      await Promise.all(
        stale.slice(i, i + READ_CONCURRENCY).map(async ({ key, etag }) => {
          const bytes = await getBytes(this.s3, this.bucket, key);
          this.cache.set(key, { etag, entries: bytes ? decodeNdjsonGzip<QuarantineEntry>(bytes) : [] });
        }),
      );
    const present = new Set(objects.map((o) => o.key));
    for (const key of this.cache.keys())
      if (key.startsWith(prefix) && !present.has(key)) this.cache.delete(key);

    const entries = objects.flatMap((o) => this.cache.get(o.key)?.entries ?? []);
    const byReason = new Map<string, { reason: string; count: number; example: string }>();
    for (const entry of entries) {
      const kind = reasonKind(entry.reason);
      const group = byReason.get(kind) ?? { reason: kind, count: 0, example: entry.reason };
      group.count++;
      byReason.set(kind, group);
    }
    const newest = [...entries].sort((a, b) => b.arrivalTime.localeCompare(a.arrivalTime)).slice(0, SAMPLES);
    return {
      system,
      total: entries.length,
      objects: objects.length,
      byReason: [...byReason.values()].sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
      samples: newest.map(({ reason, arrivalTime, shardId, sequenceNumber, text, truncated }) => ({
        reason,
        arrivalTime,
        shardId,
        sequenceNumber,
        text,
        truncated,
      })),
    };
  }
}
