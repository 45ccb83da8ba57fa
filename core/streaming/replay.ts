import type { RecordSpec } from '../pipelines/record-spec.js';
import { isPlainObject } from '../pipelines/validation-helpers.js';
import { encodeEnvelope, MAX_RECORD_BYTES } from './envelope.js';
import type { PutEntry } from './put-records.js';

/** Where the producer stands in a data set; kept in S3 so each run continues the last one. */
export interface ReplayCursor {
  /** Identifies the data set and split; a cursor never applies to another source. */
  sourceId: string;
  /** Index of the next row of the stream share to send: every row before it reached the stream (or quarantine). */
  offset: number;
  /** Rows in the stream share. */
  total: number;
  updatedAt: string;
  /**
   * Written before a PutRecords, removed by the write after it (write-ahead): rows `start`
   * (= `offset`) to `end` may be on the stream in part or in full. A run that finds it reads the
   * stream from `since` and sends only the rows of the slice that are not there.
   */
  pending?: PendingSlice;
}

export interface PendingSlice {
  start: number;
  end: number;
  /** ISO time before the first put of the slice, with a margin for clock skew: where the stream is read from. */
  since: string;
  /**
   * The run (execution name) sending it. Another run leaves the slice alone while the owner may
   * still be putting it (see `pendingHeldBy`); cursors written before ownership have none.
   */
  owner?: string;
}

/** The half-open row ranges the next run sends, batch by batch. */
export function replaySlices(
  offset: number,
  total: number,
  batchSize: number,
  numBatches: number,
): { start: number; end: number }[] {
  const slices: { start: number; end: number }[] = [];
  for (let start = offset; slices.length < numBatches && start < total; start += batchSize) {
    slices.push({ start, end: Math.min(total, start + batchSize) });
  }
  return slices;
}

/** A row the stream cannot carry, with the reason; it goes to quarantine instead. */
export interface Unsendable {
  row: unknown;
  reason: string;
}

/** A stream entry, named (when the rows' origin is given) as row `index` of its data set. */
export interface ReplayEntry extends PutEntry {
  id?: string;
}

/** Where rows come from: `rows[k]` is row `firstIndex + k` of the stream share of data set `sourceId`. */
export interface RowOrigin {
  sourceId: string;
  firstIndex: number;
}

/** The envelope id of row `index` of data set `sourceId`'s stream share. */
export function recordId(sourceId: string, index: number): string {
  return `${sourceId}:${index}`;
}

/**
 * Wraps rows in the stream envelope. Records over the Kinesis limit are set aside with a reason:
 * PutRecords would reject the whole call for one of them. With an origin, each envelope carries
 * the row's id, and the positional partition key follows the row's place in the data set, so a
 * row sent again gets the same key.
 */
export function toPutEntries(
  spec: RecordSpec<unknown>,
  rows: readonly unknown[],
  origin?: RowOrigin,
): { entries: ReplayEntry[]; unsendable: Unsendable[] } {
  const entries: ReplayEntry[] = [];
  const unsendable: Unsendable[] = [];
  rows.forEach((row, k) => {
    const index = (origin?.firstIndex ?? 0) + k;
    const id = origin ? recordId(origin.sourceId, index) : undefined;
    const data = encodeEnvelope(spec.pipeline, row, id);
    const partitionKey = partitionKeyOf(spec, row, index);
    const bytes = data.byteLength + Buffer.byteLength(partitionKey);
    if (bytes > MAX_RECORD_BYTES) {
      unsendable.push({
        row: { bytes: data.byteLength, head: data.subarray(0, 1024).toString('utf8') },
        reason: `record is ${bytes} bytes with its partition key, over the 1 MiB Kinesis record limit`,
      });
      return;
    }
    entries.push(id === undefined ? { partitionKey, data } : { partitionKey, data, id });
  });
  return { entries, unsendable };
}

/**
 * Malformed rows still need a partition key: use the spec's when the row looks valid enough,
 * otherwise a stable key from the row's position so the stream spreads them evenly.
 */
function partitionKeyOf(spec: RecordSpec<unknown>, row: unknown, index: number): string {
  try {
    if (isPlainObject(row)) {
      const key = spec.partitionKey(row);
      if (typeof key === 'string' && key.length > 0 && key.length <= 256) return key;
    }
  } catch {
    // fall through to the positional key
  }
  return `row-${index % 64}`;
}

/** Splits time-ordered rows: the first share trains the initial model, the rest is streamed. */
export function splitInitialShare<T>(
  rows: readonly T[],
  initialShare: number,
): { initial: T[]; stream: T[] } {
  if (!(initialShare >= 0 && initialShare < 1))
    throw new Error(`initialShare must be in [0, 1), got ${initialShare}`);
  const cut = Math.floor(rows.length * initialShare);
  return { initial: rows.slice(0, cut), stream: rows.slice(cut) };
}
