import type { S3Client } from '@aws-sdk/client-s3';
import { mergeIntoNdjsonObject } from '../../../adapters/s3-ndjson-merge.js';
import { getBytes } from '../../../adapters/s3-object-store.js';
import { decodeNdjsonGzip } from '../../../core/streaming/ndjson.js';
import type { StoreSeries } from '../model/types.js';
import type { DailySales, SalesRecord, StoreProfile } from '../records/types.js';
import { salesKeys, shardOf } from './keys.js';

/**
 * The stores' history in the data bucket: every profile in one object, and every store's days in
 * the shard of 25 stores it belongs to. A training batch of consecutive stores reads one shard; a
 * forecast reads its store's. Merges are read-merge-write with conditional writes, keyed by
 * store and date, so a re-sent record or a retried step adds nothing.
 */
export async function mergeRecords(
  s3: S3Client,
  bucket: string,
  records: readonly SalesRecord[],
): Promise<{ profiles: number; days: number; duplicates: number; shards: number[] }> {
  const profiles = records.filter((r): r is StoreProfile => r.kind === 'store');
  const byShard = new Map<number, DailySales[]>();
  for (const record of records) {
    if (record.kind !== 'sales') continue;
    const shard = shardOf(record.store);
    const list = byShard.get(shard) ?? [];
    list.push(record);
    byShard.set(shard, list);
  }
  let addedProfiles = 0;
  if (profiles.length > 0) {
    const { before, after } = await mergeIntoNdjsonObject<StoreProfile>(
      s3,
      bucket,
      salesKeys.profiles,
      (existing) =>
        mergeBy(
          existing,
          profiles,
          (p) => String(p.store),
          (a, b) => a.store - b.store,
        ),
    );
    addedProfiles = after - before;
  }
  let addedDays = 0;
  let offered = 0;
  for (const [shard, days] of [...byShard].sort(([a], [b]) => a - b)) {
    offered += days.length;
    const { before, after } = await mergeIntoNdjsonObject<DailySales>(
      s3,
      bucket,
      salesKeys.shard(shard),
      (existing) => mergeBy(existing, days, dayKey, compareDays),
    );
    addedDays += after - before;
  }
  return {
    profiles: addedProfiles,
    days: addedDays,
    duplicates: offered - addedDays,
    shards: [...byShard.keys()].sort((a, b) => a - b),
  };
}

const dayKey = (d: DailySales) => `${d.store}/${d.date}`;
const compareDays = (a: DailySales, b: DailySales) => a.store - b.store || a.date.localeCompare(b.date);

/** `existing` plus the items whose key it does not hold yet, sorted; undefined when none is new. */
function mergeBy<T>(
  existing: T[],
  items: readonly T[],
  key: (item: T) => string,
  compare: (a: T, b: T) => number,
): T[] | undefined {
  const seen = new Set(existing.map(key));
  const added: T[] = [];
  for (const item of items) {
    const k = key(item);
    if (seen.has(k)) continue;
    seen.add(k);
    added.push(item);
  }
  return added.length === 0 ? undefined : [...existing, ...added].sort(compare);
}

export async function readProfiles(s3: S3Client, bucket: string): Promise<Map<number, StoreProfile>> {
  const bytes = await getBytes(s3, bucket, salesKeys.profiles);
  const profiles = bytes ? decodeNdjsonGzip<StoreProfile>(bytes) : [];
  return new Map(profiles.map((p) => [p.store, p]));
}

/** Reads stores' histories, each shard once (an invocation's stores usually share one). */
export class HistoryReader {
  private readonly shards = new Map<number, Promise<Map<number, DailySales[]>>>();
  private profiles?: Promise<Map<number, StoreProfile>>;

  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async profile(store: number): Promise<StoreProfile | undefined> {
    this.profiles ??= readProfiles(this.s3, this.bucket);
    return (await this.profiles).get(store);
  }

  async allProfiles(): Promise<StoreProfile[]> {
    this.profiles ??= readProfiles(this.s3, this.bucket);
    return [...(await this.profiles).values()].sort((a, b) => a.store - b.store);
  }

  /** The newest day any store has data for, or undefined before any day arrived. */
  async newestDay(): Promise<string | undefined> {
    let newest: string | undefined;
    for (const profile of await this.allProfiles()) {
      const last = (await this.days(profile.store)).at(-1)?.date;
      if (last && (!newest || last > newest)) newest = last;
    }
    return newest;
  }

  async days(store: number): Promise<DailySales[]> {
    const shard = shardOf(store);
    let days = this.shards.get(shard);
    if (!days) {
      days = this.readShard(shard);
      this.shards.set(shard, days);
    }
    return (await days).get(store) ?? [];
  }

  /** The store's profile and days, or undefined when its profile never arrived. */
  async series(store: number): Promise<StoreSeries | undefined> {
    const profile = await this.profile(store);
    return profile ? { profile, days: await this.days(store) } : undefined;
  }

  private async readShard(shard: number): Promise<Map<number, DailySales[]>> {
    const bytes = await getBytes(this.s3, this.bucket, salesKeys.shard(shard));
    const byStore = new Map<number, DailySales[]>();
    for (const day of bytes ? decodeNdjsonGzip<DailySales>(bytes) : []) {
      const list = byStore.get(day.store) ?? [];
      list.push(day);
      byStore.set(day.store, list);
    }
    return byStore;
  }
}
