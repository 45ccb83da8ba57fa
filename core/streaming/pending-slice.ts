/**
 * Write-ahead for the producer, so a run after a failure never puts a row that already reached
 * the stream. Before each PutRecords the cursor names the slice about to be sent (`pending`);
 * the write after the put moves `offset` past it. A run that finds a pending slice reads the
 * stream from the slice's `since`, collects the envelope ids of that slice already there, and
 * sends only the others. Pure, apart from the stream it is handed through a port.
 */
import { isPlainObject } from '../pipelines/validation-helpers.js';
import { type PendingSlice, type ReplayCursor, type ReplayEntry, recordId, replaySlices } from './replay.js';

/**
 * How far before a put the stream is read from: the producer's clock and the stream's arrival
 * timestamps may disagree by this much without a record being missed. (Amazon Time Sync keeps
 * both within milliseconds; the margin costs reading 30 s more of the stream, and only after a
 * failure.)
 */
export const CLOCK_SKEW_MARGIN_MS = 30_000;

/** The `since` of a slice about to be put at `now`. */
export function pendingSince(now: Date, marginMs = CLOCK_SKEW_MARGIN_MS): string {
  return new Date(now.getTime() - marginMs).toISOString();
}

/**
 * The cursor with every row before `offset` sent; with `announce`, also naming the slice about
 * to be put (one write both settles a batch and announces the next one).
 */
export function cursorAt(
  source: { sourceId: string; total: number },
  offset: number,
  now: Date,
  /** The slice to name as pending; `since` kept when a run takes over a slice put in part. */
  announce?: { start: number; end: number; since?: string },
  owner?: string,
): ReplayCursor {
  const cursor: ReplayCursor = {
    sourceId: source.sourceId,
    offset,
    total: source.total,
    updatedAt: now.toISOString(),
  };
  if (announce)
    cursor.pending = {
      start: announce.start,
      end: announce.end,
      since: announce.since ?? pendingSince(now),
      ...(owner ? { owner } : {}),
    };
  return cursor;
}

/**
 * How long a pending slice belongs to the run that announced it: longer than the Produce task's
 * timeout (960 s) plus the skew margin in `since`, so a run that holds it may still be putting
 * it. After that its run is gone (failed, timed out, killed) and the slice may be taken over.
 */
export const PENDING_LEASE_MS = 960_000 + CLOCK_SKEW_MARGIN_MS + 60_000;

/**
 * The other run that may still be sending the stored pending slice, or undefined when this run
 * may go on: no pending slice, its own (a retry of the same execution), one without an owner, or
 * one whose lease ran out. `leaseMs` is the lease on the caller's clock (locally it runs faster).
 */
export function pendingHeldBy(
  pending: PendingSlice | undefined,
  runId: string,
  now: Date,
  leaseMs = PENDING_LEASE_MS,
): string | undefined {
  if (!pending?.owner || pending.owner === runId) return undefined;
  return now.getTime() - Date.parse(pending.since) < leaseMs ? pending.owner : undefined;
}

/**
 * What is wrong with a stored cursor, or undefined when it is one the producer wrote (with or
 * without a pending slice: cursors from before write-ahead have none).
 */
export function cursorProblem(value: unknown): string | undefined {
  if (!isPlainObject(value)) return 'it is not a JSON object';
  const { sourceId, offset, total, pending } = value;
  if (typeof sourceId !== 'string' || sourceId.length === 0) return 'it has no "sourceId" string';
  const whole = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0;
  if (!whole(total)) return `"total" must be a whole number, got ${JSON.stringify(total)}`;
  if (!whole(offset)) return `"offset" must be a whole number, got ${JSON.stringify(offset)}`;
  if (pending === undefined) return undefined;
  if (!isPlainObject(pending)) return '"pending" is not an object';
  const { start, end, since } = pending;
  if (!whole(start) || !whole(end) || !(start === offset && start < end && end <= total)) {
    return `"pending" must name rows start = offset (${offset}) < end <= total (${total}), got start ${JSON.stringify(start)}, end ${JSON.stringify(end)}`;
  }
  if (typeof since !== 'string' || Number.isNaN(Date.parse(since)))
    return `"pending.since" must be an ISO time, got ${JSON.stringify(since)}`;
  if (pending.owner !== undefined && (typeof pending.owner !== 'string' || pending.owner.length === 0))
    return `"pending.owner" must be a run name, got ${JSON.stringify(pending.owner)}`;
  return undefined;
}

/** One batch of a run: a half-open row range, and for a pending slice, where its check starts. */
export interface ReplayBatch {
  start: number;
  end: number;
  /** Set when an earlier run may have put this slice in part or in full: read the stream from here first. */
  recoverSince?: string;
}

/**
 * The batches of a run from `offset`: a pending slice first (as it was announced, whatever the
 * batch size is now, and counted as one of the `numBatches`), then the next slices.
 */
export function planBatches(
  offset: number,
  pending: PendingSlice | undefined,
  total: number,
  batchSize: number,
  numBatches: number,
): ReplayBatch[] {
  if (!pending) return replaySlices(offset, total, batchSize, numBatches);
  return [
    { start: pending.start, end: pending.end, recoverSince: pending.since },
    ...replaySlices(pending.end, total, batchSize, numBatches - 1),
  ];
}

/** The envelope ids of rows `start` to `end` of data set `sourceId`. */
export function idsOfSlice(sourceId: string, slice: { start: number; end: number }): Set<string> {
  const ids = new Set<string>();
  for (let index = slice.start; index < slice.end; index++) ids.add(recordId(sourceId, index));
  return ids;
}

/** A pending slice's entries, split into those found on the stream and those still to send. */
export function entriesToResend<E extends ReplayEntry>(
  entries: readonly E[],
  onStream: ReadonlySet<string>,
): { resend: E[]; alreadySent: number } {
  const resend = entries.filter((entry) => entry.id === undefined || !onStream.has(entry.id));
  return { resend, alreadySent: entries.length - resend.length };
}

/** One GetRecords answer, as the scan needs it. */
export interface StreamPage {
  records: readonly { data: Uint8Array; arrivalMs?: number }[];
  /** Absent once a closed shard has been read to its end. */
  nextIterator?: string;
  millisBehindLatest?: number;
}

/** The reads the scan makes (ListShards, GetShardIterator AT_TIMESTAMP, GetRecords), free of the SDK. */
export interface StreamScanPort {
  listShards(): Promise<string[]>;
  iteratorAt(shardId: string, since: Date): Promise<string | undefined>;
  getRecords(iterator: string, limit: number): Promise<StreamPage>;
}

export interface ScanOptions {
  /** Records asked for per GetRecords call (the API allows 10,000). */
  pageLimit: number;
  /** Pages read on one shard before the scan gives up with an error rather than guess. */
  maxPagesPerShard: number;
  /** Pause between GetRecords calls on one shard (AWS allows 5 a second per shard, shared with ingest). */
  pauseMs: number;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
}

export const defaultScanOptions: ScanOptions = {
  pageLimit: 10_000,
  maxPagesPerShard: 2_000,
  pauseMs: 200,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: Date.now,
};

export interface ScanOutcome {
  /** The wanted ids that are on the stream. */
  found: Set<string>;
  shards: number;
  pages: number;
  records: number;
}

/**
 * Whether a shard has been read far enough: its end (a closed shard), the tip (an empty page no
 * time behind the latest record), or a record that arrived after `untilMs` (the scan's start
 * plus the clock margin: everything put before the scan started has then been read, even on a
 * shard that never falls quiet). A short page at the tip is not enough: a page can be cut by
 * size with records of the same millisecond after it.
 */
export function shardReadFarEnough(page: StreamPage, untilMs: number): boolean {
  if (page.nextIterator === undefined) return true;
  if (page.records.length === 0) return (page.millisBehindLatest ?? 0) === 0;
  return page.records.some((record) => record.arrivalMs !== undefined && record.arrivalMs > untilMs);
}

/** The envelope id of a stream record, if it has one. */
export function envelopeIdOf(data: Uint8Array): string | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(data).toString('utf8'));
    return isPlainObject(parsed) && typeof parsed.id === 'string' ? parsed.id : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads every shard from `since` until it is read far enough, collecting which of `wanted` are
 * on the stream; stops early once all of them are found. Records of other pipelines, other data
 * sets and other slices are skipped.
 */
export async function findOnStream(
  port: StreamScanPort,
  since: Date,
  wanted: ReadonlySet<string>,
  options: ScanOptions = defaultScanOptions,
): Promise<ScanOutcome> {
  const outcome: ScanOutcome = { found: new Set(), shards: 0, pages: 0, records: 0 };
  if (wanted.size === 0) return outcome;
  const untilMs = options.now() + CLOCK_SKEW_MARGIN_MS;
  for (const shardId of await port.listShards()) {
    outcome.shards++;
    let iterator = await port.iteratorAt(shardId, since);
    for (let pages = 0; iterator !== undefined; pages++) {
      if (pages >= options.maxPagesPerShard) {
        throw new Error(
          `reading ${shardId} from ${since.toISOString()} did not reach the tip of the stream in ${pages} pages; the pending slice is left as it is`,
        );
      }
      if (pages > 0) await options.sleep(options.pauseMs);
      const page = await port.getRecords(iterator, options.pageLimit);
      outcome.pages++;
      outcome.records += page.records.length;
      for (const record of page.records) {
        const id = envelopeIdOf(record.data);
        if (id !== undefined && wanted.has(id)) outcome.found.add(id);
      }
      if (outcome.found.size === wanted.size) return outcome;
      if (shardReadFarEnough(page, untilMs)) break;
      iterator = page.nextIterator;
    }
  }
  return outcome;
}
