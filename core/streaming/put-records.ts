/**
 * Writing to Kinesis with PutRecords: at most 500 entries and 5 MB a call, and a call can
 * succeed for some entries and fail for others (throttling). Only the failed entries are sent
 * again, with exponential backoff and jitter. The port keeps this free of the AWS SDK.
 */
export interface PutEntry {
  partitionKey: string;
  data: Uint8Array;
}

export interface PutResultEntry {
  /** Present when the entry was written. */
  sequenceNumber?: string;
  shardId?: string;
  /** Present when it was not, e.g. `ProvisionedThroughputExceededException`. */
  errorCode?: string;
  errorMessage?: string;
}

export interface PutRecordsPort {
  /** One PutRecords call; results in the same order as the entries. */
  putRecords(entries: readonly PutEntry[]): Promise<PutResultEntry[]>;
}

export const MAX_ENTRIES_PER_CALL = 500;
/** The 5 MB request limit counts data plus partition keys. */
export const MAX_BYTES_PER_CALL = 5 * 1024 * 1024;

/** Splits entries into calls that respect both PutRecords limits, keeping their order. */
export function chunkForPutRecords(entries: readonly PutEntry[]): PutEntry[][] {
  const chunks: PutEntry[][] = [];
  let chunk: PutEntry[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = entry.data.byteLength + Buffer.byteLength(entry.partitionKey, 'utf8');
    if (chunk.length > 0 && (chunk.length === MAX_ENTRIES_PER_CALL || bytes + size > MAX_BYTES_PER_CALL)) {
      chunks.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(entry);
    bytes += size;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}

export interface RetryOptions {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
}

export const defaultRetryOptions: RetryOptions = {
  maxAttempts: 6,
  baseDelayMs: 100,
  maxDelayMs: 5_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

export interface PutOutcome {
  /** Entries written, in input order. */
  written: number;
  /** Entries still failing after the last attempt, with their last error. */
  failed: { entry: PutEntry; errorCode: string; errorMessage: string }[];
  /** PutRecords calls made, retries included. */
  calls: number;
  /** Entry re-sends caused by partial failures. */
  resent: number;
}

/** Full jitter: spreads retrying producers apart instead of letting them collide again. Retry 1 waits up to the base delay. */
function backoffMs(retry: number, options: RetryOptions): number {
  return Math.floor(options.random() * Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (retry - 1)));
}

/** Sends every entry, re-sending only failed ones; never re-sends an entry that was written. */
export async function putAllRecords(
  port: PutRecordsPort,
  entries: readonly PutEntry[],
  options: RetryOptions = defaultRetryOptions,
): Promise<PutOutcome> {
  const outcome: PutOutcome = { written: 0, failed: [], calls: 0, resent: 0 };
  for (const chunk of chunkForPutRecords(entries)) {
    let pending = chunk;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 0) {
        outcome.resent += pending.length;
        await options.sleep(backoffMs(attempt, options));
      }
      outcome.calls++;
      const results = await port.putRecords(pending);
      if (results.length !== pending.length) {
        throw new Error(`PutRecords returned ${results.length} results for ${pending.length} entries`);
      }
      const stillFailing: { entry: PutEntry; errorCode: string; errorMessage: string }[] = [];
      results.forEach((result, i) => {
        const entry = pending[i] as PutEntry;
        if (result.errorCode)
          stillFailing.push({ entry, errorCode: result.errorCode, errorMessage: result.errorMessage ?? '' });
        else outcome.written++;
      });
      if (stillFailing.length > 0 && attempt + 1 >= options.maxAttempts) {
        outcome.failed.push(...stillFailing);
        break;
      }
      pending = stillFailing.map((failure) => failure.entry);
    }
  }
  return outcome;
}
