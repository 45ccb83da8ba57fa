import type { EventSourceActivity } from '../kinesis-event-source.js';
import type { StreamTotals } from './api-types.js';

export interface StreamStatsOptions {
  /** Width of one "records in" bucket. @default 5000 */
  bucketMs?: number;
  /** How many buckets are kept (older ones are dropped). @default 120, ten minutes of 5 s */
  keepBuckets?: number;
  /** How many failed invocations are kept. @default 20 */
  keepErrors?: number;
  /** @default - the wall clock */
  now?: () => number;
}

/**
 * What the ingest event source did in this process, counted from its `activity` callback:
 * totals, records delivered per time bucket, the latest errors. In memory only: the console
 * shows the stream's health now, not its history (raw/ and quarantine/ hold that).
 */
export class StreamStats {
  readonly bucketMs: number;
  private readonly keepBuckets: number;
  private readonly keepErrors: number;
  private readonly now: () => number;
  private readonly counts: StreamTotals = {
    recordsIn: 0,
    failedRecords: 0,
    batches: 0,
    errors: 0,
    onFailureRecords: 0,
  };
  /** Bucket start (epoch ms) → records delivered in it. */
  private readonly buckets = new Map<number, number>();
  private readonly errors: { at: string; shardId: string; message: string }[] = [];

  constructor(options: StreamStatsOptions = {}) {
    this.bucketMs = options.bucketMs ?? 5_000;
    this.keepBuckets = options.keepBuckets ?? 120;
    this.keepErrors = options.keepErrors ?? 20;
    this.now = options.now ?? Date.now;
  }

  /** The event source's `activity` callback (bound, so it can be passed as is). */
  readonly record = (activity: EventSourceActivity): void => {
    if (activity.type === 'batch') {
      const delivered = activity.records - activity.failedRecords;
      this.counts.batches++;
      this.counts.recordsIn += delivered;
      this.counts.failedRecords += activity.failedRecords;
      this.addToBucket(delivered);
    } else if (activity.type === 'error') {
      this.counts.errors++;
      this.errors.unshift({
        at: new Date(this.now()).toISOString(),
        shardId: activity.shardId,
        message: activity.message,
      });
      this.errors.length = Math.min(this.errors.length, this.keepErrors);
    } else if (activity.type === 'on-failure') {
      this.counts.onFailureRecords += activity.message.KinesisBatchInfo.batchSize;
    }
  };

  totals(): StreamTotals {
    return { ...this.counts };
  }

  /** Every bucket of the kept window, oldest first, zeros included, so charts show idle time as idle. */
  recordsIn(): { at: number; records: number }[] {
    const current = this.bucketStart(this.now());
    const series: { at: number; records: number }[] = [];
    for (let i = this.keepBuckets - 1; i >= 0; i--) {
      const at = current - i * this.bucketMs;
      series.push({ at, records: this.buckets.get(at) ?? 0 });
    }
    return series;
  }

  recentErrors(): { at: string; shardId: string; message: string }[] {
    return [...this.errors];
  }

  private addToBucket(records: number): void {
    const at = this.bucketStart(this.now());
    this.buckets.set(at, (this.buckets.get(at) ?? 0) + records);
    const oldest = at - (this.keepBuckets - 1) * this.bucketMs;
    for (const start of this.buckets.keys()) if (start < oldest) this.buckets.delete(start);
  }

  private bucketStart(epochMs: number): number {
    return Math.floor(epochMs / this.bucketMs) * this.bucketMs;
  }
}
