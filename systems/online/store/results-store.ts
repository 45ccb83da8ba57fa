import { paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import { getBytes, getObject, putObject } from '../../../adapters/s3-object-store.js';
import { PreconditionFailedError } from '../../../core/registry/object-store.js';
import type { ResultOf } from '../model/result-types.js';
import { readHistoryParquet, writeHistoryParquet } from './history-parquet.js';
import { type OnlineModelName, onlineKeys, RECENT_LIMIT } from './keys.js';

/**
 * The learner's results in the data bucket: `latest/` (one request for the newest), `recent/` (the
 * last RECENT_LIMIT, what a dashboard draws first) and `history/` (Parquet, everything). Every
 * write is idempotent: a batch retried after a crash recomputes the same results and writes them
 * under the same keys, so nothing is duplicated.
 */

/** `recent/<model>.json`. */
export interface RecentResults<M extends OnlineModelName = OnlineModelName> {
  model: M;
  /** Oldest first, at most RECENT_LIMIT, one per tick. */
  items: ResultOf<M>[];
}

/** A read-modify-write that lost to another writer reads again; after this many it gives up. */
const MERGE_ATTEMPTS = 5;

const json = (value: unknown) => `${JSON.stringify(value)}\n`;

/**
 * One Parquet object per run of results in the same hour (by the record's time), keyed by its
 * first tick. A retried batch starts at the same first unlearned tick, so it overwrites the same
 * object even when its batch boundaries differ; a later batch starts after the checkpoint's tick.
 */
export async function writeHistory<M extends OnlineModelName>(
  s3: S3Client,
  bucket: string,
  model: M,
  results: readonly ResultOf<M>[],
): Promise<string[]> {
  const runs: ResultOf<M>[][] = [];
  let hour: string | undefined;
  for (const result of results) {
    const resultHour = onlineKeys.historyHour(model, result.time);
    if (resultHour !== hour || runs.length === 0) runs.push([]);
    hour = resultHour;
    runs.at(-1)?.push(result);
  }
  const keys: string[] = [];
  for (const run of runs) {
    const first = run[0] as ResultOf<M>;
    const key = onlineKeys.history(model, first.time, first.tick);
    await putObject(s3, bucket, key, writeHistoryParquet(model, run), {
      contentType: 'application/vnd.apache.parquet',
    });
    keys.push(key);
  }
  return keys;
}

/**
 * Adds results to `recent/`: merged by tick (a recomputed result replaces the one a crashed try
 * wrote), oldest first, the last RECENT_LIMIT kept. Conditional, so two writers merge rather than
 * overwrite each other.
 */
export async function mergeRecent<M extends OnlineModelName>(
  s3: S3Client,
  bucket: string,
  model: M,
  results: readonly ResultOf<M>[],
): Promise<void> {
  await readModifyWrite(s3, bucket, onlineKeys.recent(model), (current: RecentResults<M> | undefined) => {
    const byTick = new Map<number, ResultOf<M>>();
    for (const item of current?.items ?? []) byTick.set(item.tick, item);
    for (const result of results) byTick.set(result.tick, result);
    const items = [...byTick.values()].sort((a, b) => a.tick - b.tick).slice(-RECENT_LIMIT);
    return { model, items } satisfies RecentResults<M>;
  });
}

/** Sets `latest/` unless it already holds a later tick (a stale writer never moves it back). */
export async function updateLatest<M extends OnlineModelName>(
  s3: S3Client,
  bucket: string,
  model: M,
  result: ResultOf<M>,
): Promise<void> {
  await readModifyWrite(s3, bucket, onlineKeys.latest(model), (current: ResultOf<M> | undefined) =>
    current && current.tick > result.tick ? undefined : result,
  );
}

async function readModifyWrite<T>(
  s3: S3Client,
  bucket: string,
  key: string,
  change: (current: T | undefined) => T | undefined,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const current = await getObject(s3, bucket, key);
    const next = change(current ? (JSON.parse(Buffer.from(current.bytes).toString('utf8')) as T) : undefined);
    if (next === undefined) return;
    try {
      await putObject(s3, bucket, key, json(next), {
        contentType: 'application/json',
        ...(current ? { ifMatch: current.etag } : { ifNoneMatch: '*' }),
      });
      return;
    } catch (error) {
      if (!(error instanceof PreconditionFailedError) || attempt >= MERGE_ATTEMPTS) throw error;
    }
  }
}

export async function readLatest<M extends OnlineModelName>(
  s3: S3Client,
  bucket: string,
  model: M,
): Promise<ResultOf<M> | undefined> {
  const bytes = await getBytes(s3, bucket, onlineKeys.latest(model));
  return bytes && (JSON.parse(Buffer.from(bytes).toString('utf8')) as ResultOf<M>);
}

export async function readRecent<M extends OnlineModelName>(
  s3: S3Client,
  bucket: string,
  model: M,
): Promise<ResultOf<M>[]> {
  const bytes = await getBytes(s3, bucket, onlineKeys.recent(model));
  return bytes ? (JSON.parse(Buffer.from(bytes).toString('utf8')) as RecentResults<M>).items : [];
}

/** Results from a tick on, or from a time on (the record's time). */
export type Since = { tick: number } | { time: string };

export function isAtOrAfter(result: { tick: number; time: string }, since: Since): boolean {
  return 'tick' in since ? result.tick >= since.tick : Date.parse(result.time) >= Date.parse(since.time);
}

/**
 * Up to `limit` results from `since` on, oldest first, from the Parquet history. Keys sort in
 * time order (hour partitions, then zero-padded ticks), so a time starts the listing at its hour
 * (StartAfter) and a tick at the last object that begins at or before it; reading stops once
 * `limit` results are in.
 */
export async function readHistorySince<M extends OnlineModelName>(
  s3: S3Client,
  bucket: string,
  model: M,
  since: Since,
  limit: number,
): Promise<ResultOf<M>[]> {
  const items: ResultOf<M>[] = [];
  // A stale writer refused at its checkpoint may have left a copy of rows another writer also
  // wrote (same model state, same record: the same result but for learnedAt): one per tick.
  const seen = new Set<number>();
  const read = async (key: string) => {
    const bytes = await getBytes(s3, bucket, key);
    for (const row of bytes ? await readHistoryParquet(model, bytes) : [])
      if (items.length < limit && isAtOrAfter(row, since) && !seen.has(row.tick)) {
        seen.add(row.tick);
        items.push(row);
      }
  };
  const startAfter = 'time' in since ? onlineKeys.historyHour(model, since.time) : undefined;
  // In tick mode the object before the first one starting after `since` may still hold it.
  let previous: string | undefined;
  let started = 'time' in since;
  for await (const key of historyKeys(s3, bucket, model, startAfter)) {
    if (items.length >= limit) return items;
    const tick = onlineKeys.tickOfHistory(key);
    if (tick === undefined) continue;
    if (!started && 'tick' in since && tick <= since.tick) {
      previous = key;
      continue;
    }
    if (!started && previous) await read(previous);
    started = true;
    await read(key);
  }
  if (!started && previous) await read(previous);
  return items;
}

async function* historyKeys(
  s3: S3Client,
  bucket: string,
  model: OnlineModelName,
  startAfter: string | undefined,
): AsyncGenerator<string> {
  for await (const page of paginateListObjectsV2(
    { client: s3 },
    {
      Bucket: bucket,
      Prefix: onlineKeys.historyRoot(model),
      ...(startAfter ? { StartAfter: startAfter } : {}),
    },
  ))
    for (const object of page.Contents ?? []) if (object.Key) yield object.Key;
}
