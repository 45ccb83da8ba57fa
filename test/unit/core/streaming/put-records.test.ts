import { describe, expect, it } from 'vitest';
import {
  chunkForPutRecords,
  MAX_BYTES_PER_CALL,
  MAX_ENTRIES_PER_CALL,
  type PutEntry,
  type PutRecordsPort,
  type PutResultEntry,
  putAllRecords,
  type RetryOptions,
} from '../../../../core/streaming/put-records.js';
import { putEntry } from '../../../support/factories.js';

const MIB = 1024 * 1024;
const THROTTLED = 'ProvisionedThroughputExceededException';

const idOf = (entry: PutEntry): string => new TextDecoder().decode(entry.data);
const entries = (count: number): PutEntry[] => Array.from({ length: count }, (_, i) => putEntry(`e${i}`));
const callBytes = (chunk: readonly PutEntry[]): number =>
  chunk.reduce((sum, e) => sum + e.data.byteLength + Buffer.byteLength(e.partitionKey), 0);

/**
 * A fake Kinesis: `fails(id, call)` decides whether an entry is throttled on a given call (1-based).
 * Records every entry it is sent and refuses (fails the test) to see a written entry again.
 */
class FakeKinesis implements PutRecordsPort {
  readonly calls: string[][] = [];
  readonly written = new Set<string>();
  rewrites = 0;

  constructor(private readonly fails: (id: string, call: number) => boolean) {}

  async putRecords(batch: readonly PutEntry[]): Promise<PutResultEntry[]> {
    const ids = batch.map(idOf);
    this.calls.push(ids);
    const call = this.calls.length;
    return ids.map((id, i) => {
      if (this.written.has(id)) this.rewrites++;
      if (this.fails(id, call)) return { errorCode: THROTTLED, errorMessage: `Rate exceeded for ${id}` };
      this.written.add(id);
      return { sequenceNumber: String(1000 * call + i), shardId: 'shardId-000000000000' };
    });
  }
}

function retryOptions(overrides: Partial<RetryOptions> = {}): RetryOptions & { sleeps: number[] } {
  const sleeps: number[] = [];
  return {
    maxAttempts: 6,
    baseDelayMs: 100,
    maxDelayMs: 1_000,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 1,
    ...overrides,
    sleeps,
  };
}

describe('chunkForPutRecords respects the PutRecords limits', () => {
  it('splits 600 small entries into 500 + 100, keeping their order', () => {
    // Prepare
    const all = entries(600);

    // Act
    const chunks = chunkForPutRecords(all);

    // Assess
    expect(chunks.map((chunk) => chunk.length)).toEqual([MAX_ENTRIES_PER_CALL, 100]);
    expect(chunks.flat()).toEqual(all);
  });

  it('keeps exactly 500 entries in one call', () => {
    // Prepare / Act / Assess
    expect(chunkForPutRecords(entries(500)).map((c) => c.length)).toEqual([500]);
  });

  it('splits 6 entries of 1 MiB into calls under 5 MiB, counting partition keys', () => {
    // Prepare
    const all = Array.from({ length: 6 }, (_, i) => ({ partitionKey: `k${i}`, data: new Uint8Array(MIB) }));

    // Act
    const chunks = chunkForPutRecords(all);

    // Assess: 5 × (1 MiB + key) is over 5 MiB, so at most 4 per call
    expect(chunks.map((chunk) => chunk.length)).toEqual([4, 2]);
    for (const chunk of chunks) expect(callBytes(chunk)).toBeLessThanOrEqual(MAX_BYTES_PER_CALL);
    expect(chunks.flat()).toEqual(all);
  });

  it('fills a call up to exactly 5 MiB', () => {
    // Prepare: five entries of exactly 1 MiB including their one-character partition key
    const all = Array.from({ length: 6 }, () => ({ partitionKey: 'k', data: new Uint8Array(MIB - 1) }));

    // Act
    const chunks = chunkForPutRecords(all);

    // Assess
    expect(chunks.map((chunk) => chunk.length)).toEqual([5, 1]);
    expect(callBytes(chunks[0] ?? [])).toBe(MAX_BYTES_PER_CALL);
  });

  it('returns no calls for no entries', () => {
    // Prepare / Act / Assess
    expect(chunkForPutRecords([])).toEqual([]);
  });
});

describe('putAllRecords re-sends only the failed entries', () => {
  it('writes everything in one call per chunk when nothing fails', async () => {
    // Prepare
    const port = new FakeKinesis(() => false);
    const options = retryOptions();

    // Act
    const outcome = await putAllRecords(port, entries(600), options);

    // Assess
    expect(outcome).toEqual({ written: 600, failed: [], calls: 2, resent: 0 });
    expect(options.sleeps).toEqual([]);
  });

  it('re-sends only the throttled entries, never one that was written', async () => {
    // Prepare: e3, e7 and e8 are throttled on the first call
    const throttled = new Set(['e3', 'e7', 'e8']);
    const port = new FakeKinesis((id, call) => call === 1 && throttled.has(id));
    const options = retryOptions();

    // Act
    const outcome = await putAllRecords(port, entries(10), options);

    // Assess
    expect(port.calls[1]).toEqual(['e3', 'e7', 'e8']);
    expect(port.calls).toHaveLength(2);
    expect(port.rewrites).toBe(0);
    expect(port.written.size).toBe(10);
    expect(outcome).toEqual({ written: 10, failed: [], calls: 2, resent: 3 });
    expect(options.sleeps).toHaveLength(1);
  });

  it('re-sends throttled entries of the second chunk without touching the first', async () => {
    // Prepare: 600 entries → chunks of 500 and 100; e550 is throttled twice
    const port = new FakeKinesis((id, call) => id === 'e550' && call <= 3);
    const options = retryOptions();

    // Act
    const outcome = await putAllRecords(port, entries(600), options);

    // Assess
    expect(port.calls.map((ids) => ids.length)).toEqual([500, 100, 1, 1]);
    expect(port.calls.slice(2)).toEqual([['e550'], ['e550']]);
    expect(port.rewrites).toBe(0);
    expect(outcome).toEqual({ written: 600, failed: [], calls: 4, resent: 2 });
  });

  it('backs off between attempts with a growing cap, never over maxDelayMs', async () => {
    // Prepare: one entry that always fails; random() = 1 sleeps the full cap
    const port = new FakeKinesis((id) => id === 'e0');
    const options = retryOptions({ maxAttempts: 6, baseDelayMs: 100, maxDelayMs: 1_000 });

    // Act
    await putAllRecords(port, entries(2), options);

    // Assess
    expect(options.sleeps).toHaveLength(5);
    for (let i = 1; i < options.sleeps.length; i++) {
      const previous = options.sleeps[i - 1] ?? 0;
      const current = options.sleeps[i] ?? 0;
      expect(current).toBeGreaterThanOrEqual(previous);
      if (previous < 1_000) expect(current).toBeGreaterThan(previous);
    }
    expect(options.sleeps[0]).toBeGreaterThanOrEqual(100);
    expect(Math.max(...options.sleeps)).toBe(1_000);
  });

  it('applies full jitter: the sleep scales with random()', async () => {
    // Prepare
    const full = retryOptions({ maxAttempts: 3, random: () => 1 });
    const half = retryOptions({ maxAttempts: 3, random: () => 0.5 });

    // Act
    await putAllRecords(new FakeKinesis((id) => id === 'e0'), entries(1), full);
    await putAllRecords(new FakeKinesis((id) => id === 'e0'), entries(1), half);

    // Assess
    expect(half.sleeps).toEqual(full.sleeps.map((ms) => Math.floor(ms / 2)));
  });

  it('returns entries still failing after maxAttempts with their error code', async () => {
    // Prepare: e1 is always throttled
    const all = entries(3);
    const port = new FakeKinesis((id) => id === 'e1');
    const options = retryOptions({ maxAttempts: 3 });

    // Act
    const outcome = await putAllRecords(port, all, options);

    // Assess
    expect(outcome.failed).toEqual([
      { entry: all[1], errorCode: THROTTLED, errorMessage: 'Rate exceeded for e1' },
    ]);
    expect(outcome.written).toBe(2);
    expect(outcome.calls).toBe(3);
    expect(port.calls).toEqual([['e0', 'e1', 'e2'], ['e1'], ['e1']]);
    expect(options.sleeps).toHaveLength(2);
  });

  it('throws when the port returns a result count different from the entries sent', async () => {
    // Prepare
    const port: PutRecordsPort = { putRecords: async () => [{ sequenceNumber: '1' }] };

    // Act / Assess
    await expect(putAllRecords(port, entries(3), retryOptions())).rejects.toThrow(
      'PutRecords returned 1 results for 3 entries',
    );
  });
});
