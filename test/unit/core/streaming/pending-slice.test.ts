import { describe, expect, it } from 'vitest';
import type { RecordSpec } from '../../../../core/pipelines/record-spec.js';
import { encodeEnvelope } from '../../../../core/streaming/envelope.js';
import {
  CLOCK_SKEW_MARGIN_MS,
  cursorAt,
  cursorProblem,
  defaultScanOptions,
  entriesToResend,
  envelopeIdOf,
  findOnStream,
  idsOfSlice,
  planBatches,
  type ScanOptions,
  type StreamPage,
  type StreamScanPort,
  shardReadFarEnough,
} from '../../../../core/streaming/pending-slice.js';
import { recordId, toPutEntries } from '../../../../core/streaming/replay.js';
import { waterRecordSpec } from '../../../../systems/water/records/reading.js';
import { waterReading } from '../../../support/factories.js';

const spec = waterRecordSpec as RecordSpec<unknown>;
const SOURCE = '0123456789abcdef';
const NOW = new Date('2024-03-01T13:00:00.000Z');

/** A stream record of the producer: row `index` of SOURCE (or of another data set). */
const rowRecord = (index: number, sourceId = SOURCE, arrivalMs = NOW.getTime()) => ({
  data: encodeEnvelope('water', waterReading(), recordId(sourceId, index)),
  arrivalMs,
});

/**
 * A stream in memory: each shard is a list of pages as GetRecords would return them, the last
 * one at the tip. Records every call, so tests can see what the scan read.
 */
function fakeStream(shards: Record<string, StreamPage[]>) {
  const calls: string[] = [];
  const port: StreamScanPort = {
    async listShards() {
      calls.push('ListShards');
      return Object.keys(shards);
    },
    async iteratorAt(shardId, since) {
      calls.push(`GetShardIterator ${shardId} ${since.toISOString()}`);
      return `${shardId}#0`;
    },
    async getRecords(iterator, limit) {
      calls.push(`GetRecords ${iterator} ${limit}`);
      const [shardId, at] = iterator.split('#') as [string, string];
      const page = shards[shardId]?.[Number(at)];
      if (!page) throw new Error(`read past the last page of ${shardId}`);
      return page.nextIterator === undefined
        ? page
        : { ...page, nextIterator: `${shardId}#${Number(at) + 1}` };
    },
  };
  return { port, calls };
}

const page = (records: StreamPage['records'], millisBehindLatest = 0): StreamPage => ({
  records,
  nextIterator: 'next',
  millisBehindLatest,
});
const tip = (): StreamPage => page([], 0);

const pauses: number[] = [];
const scanOptions: ScanOptions = {
  ...defaultScanOptions,
  sleep: async (ms) => {
    pauses.push(ms);
  },
  now: () => NOW.getTime(),
};

describe('cursors with a pending slice (write-ahead)', () => {
  it('announces the slice about to be put, with a since the clock margin before now', () => {
    // Prepare / Act
    const cursor = cursorAt({ sourceId: SOURCE, total: 100 }, 20, NOW, { start: 20, end: 40 });

    // Assess
    expect(cursor).toEqual({
      sourceId: SOURCE,
      offset: 20,
      total: 100,
      updatedAt: '2024-03-01T13:00:00.000Z',
      pending: { start: 20, end: 40, since: '2024-03-01T12:59:30.000Z' },
    });
    expect(CLOCK_SKEW_MARGIN_MS).toBe(30_000);
  });

  it('writes a settled cursor without pending, as before write-ahead', () => {
    // Prepare / Act
    const cursor = cursorAt({ sourceId: SOURCE, total: 100 }, 40, NOW);

    // Assess
    expect(cursor).toEqual({
      sourceId: SOURCE,
      offset: 40,
      total: 100,
      updatedAt: '2024-03-01T13:00:00.000Z',
    });
    expect(cursorProblem(cursor)).toBeUndefined();
  });

  it('accepts the cursors it writes and a cursor from before write-ahead', () => {
    // Prepare / Act / Assess
    expect(cursorProblem(cursorAt({ sourceId: SOURCE, total: 100 }, 0, NOW, { start: 0, end: 100 }))).toBe(
      undefined,
    );
    expect(
      cursorProblem({ sourceId: SOURCE, offset: 600, total: 6892, updatedAt: '2024-03-01T13:00:00Z' }),
    ).toBeUndefined();
  });

  it.each([
    ['not an object', [], 'it is not a JSON object'],
    ['without a source', { offset: 0, total: 1 }, 'it has no "sourceId" string'],
    [
      'with a fractional offset',
      { sourceId: SOURCE, offset: 1.5, total: 9 },
      '"offset" must be a whole number',
    ],
    [
      'with a pending slice that does not start at the offset',
      { sourceId: SOURCE, offset: 10, total: 50, pending: { start: 0, end: 20, since: NOW.toISOString() } },
      '"pending" must name rows start = offset (10) < end <= total (50), got start 0, end 20',
    ],
    [
      'with a pending slice past the end',
      { sourceId: SOURCE, offset: 40, total: 50, pending: { start: 40, end: 60, since: NOW.toISOString() } },
      '"pending" must name rows start = offset (40) < end <= total (50)',
    ],
    [
      'with an empty pending slice',
      { sourceId: SOURCE, offset: 40, total: 50, pending: { start: 40, end: 40, since: NOW.toISOString() } },
      '"pending" must name rows',
    ],
    [
      'with a since that is not a time',
      { sourceId: SOURCE, offset: 0, total: 50, pending: { start: 0, end: 10, since: 'yesterday' } },
      '"pending.since" must be an ISO time, got "yesterday"',
    ],
  ])('names what is wrong with a cursor %s', (_what, cursor, problem) => {
    // Act / Assess
    expect(cursorProblem(cursor)).toContain(problem);
  });
});

describe('planBatches', () => {
  it('plans the next slices from the offset when nothing is pending', () => {
    // Prepare / Act / Assess
    expect(planBatches(20, undefined, 100, 30, 2)).toEqual([
      { start: 20, end: 50 },
      { start: 50, end: 80 },
    ]);
  });

  it('finishes a pending slice first, as it was announced, counting it as one of the batches', () => {
    // Prepare: announced with batch size 25, this run asks for 30
    const pending = { start: 20, end: 45, since: '2024-03-01T12:59:30.000Z' };

    // Act
    const batches = planBatches(20, pending, 100, 30, 3);

    // Assess
    expect(batches).toEqual([
      { start: 20, end: 45, recoverSince: '2024-03-01T12:59:30.000Z' },
      { start: 45, end: 75 },
      { start: 75, end: 100 },
    ]);
  });

  it('finishes a pending last slice of the data set and plans nothing after it', () => {
    // Prepare / Act / Assess
    expect(planBatches(90, { start: 90, end: 100, since: NOW.toISOString() }, 100, 30, 3)).toEqual([
      { start: 90, end: 100, recoverSince: NOW.toISOString() },
    ]);
  });
});

describe('which rows of a pending slice are sent again', () => {
  it('sends only the entries whose ids are not on the stream, in order, and counts the others', () => {
    // Prepare: rows 10..14, of which 10, 12 and 13 reached the stream
    const rows = Array.from({ length: 5 }, (_, i) => waterReading({ meterId: `zone-a-meter-${i}` }));
    const { entries } = toPutEntries(spec, rows, { sourceId: SOURCE, firstIndex: 10 });
    const onStream = new Set([10, 12, 13].map((i) => recordId(SOURCE, i)));

    // Act
    const { resend, alreadySent } = entriesToResend(entries, onStream);

    // Assess
    expect(resend.map((e) => e.id)).toEqual([recordId(SOURCE, 11), recordId(SOURCE, 14)]);
    expect(alreadySent).toBe(3);
  });

  it('names every row of a slice, and only those', () => {
    // Prepare / Act
    const ids = idsOfSlice(SOURCE, { start: 3, end: 6 });

    // Assess
    expect([...ids]).toEqual([`${SOURCE}:3`, `${SOURCE}:4`, `${SOURCE}:5`]);
  });

  it('reads the id of a stream record, and none from old envelopes or bytes that are not JSON', () => {
    // Prepare / Act / Assess
    expect(envelopeIdOf(encodeEnvelope('water', {}, `${SOURCE}:7`))).toBe(`${SOURCE}:7`);
    expect(envelopeIdOf(encodeEnvelope('water', {}))).toBeUndefined();
    expect(envelopeIdOf(new TextEncoder().encode('{"pipeline":'))).toBeUndefined();
    expect(envelopeIdOf(new TextEncoder().encode('[1]'))).toBeUndefined();
  });
});

describe('shardReadFarEnough', () => {
  const until = NOW.getTime() + CLOCK_SKEW_MARGIN_MS;

  it('stops at the end of a closed shard', () => {
    // Act / Assess
    expect(shardReadFarEnough({ records: [rowRecord(1)] }, until)).toBe(true);
  });

  it('stops at an empty page at the tip (or from a stream that does not say how far behind it is)', () => {
    // Act / Assess
    expect(shardReadFarEnough(page([], 0), until)).toBe(true);
    expect(shardReadFarEnough({ records: [], nextIterator: 'x' }, until)).toBe(true);
  });

  it('goes on after an empty page behind the tip (Kinesis may answer empty mid-shard)', () => {
    // Act / Assess
    expect(shardReadFarEnough(page([], 86_400_000), until)).toBe(false);
  });

  it('goes on after a full page at the tip: records of the same millisecond may follow it', () => {
    // Act / Assess
    expect(shardReadFarEnough(page([rowRecord(1), rowRecord(2)], 0), until)).toBe(false);
  });

  it('stops at a record that arrived after the scan started (plus the margin), on a shard never quiet', () => {
    // Act / Assess
    expect(shardReadFarEnough(page([rowRecord(1, SOURCE, until + 1)], 0), until)).toBe(true);
    expect(shardReadFarEnough(page([rowRecord(1, SOURCE, until)], 0), until)).toBe(false);
  });
});

describe('findOnStream', () => {
  it('reads every shard from since to its tip and collects the wanted ids among other records', async () => {
    // Prepare: rows 0..3 wanted; 0 and 2 on shard 0 over two pages, 3 on shard 1; other
    // pipelines, another data set, an old envelope and rows outside the slice in between
    const other = { data: encodeEnvelope('sensors', { x: 1 }, 'ffffffffffffffff:0'), arrivalMs: 0 };
    const old = { data: encodeEnvelope('water', waterReading()), arrivalMs: 0 };
    const { port, calls } = fakeStream({
      'shardId-0': [page([rowRecord(0), other], 1_000), page([old, rowRecord(2), rowRecord(9)]), tip()],
      'shardId-1': [page([rowRecord(3), rowRecord(0, 'aaaaaaaaaaaaaaaa')]), tip()],
    });
    const since = new Date('2024-03-01T12:59:30.000Z');
    pauses.length = 0;

    // Act
    const outcome = await findOnStream(port, since, idsOfSlice(SOURCE, { start: 0, end: 4 }), scanOptions);

    // Assess
    expect([...outcome.found].sort()).toEqual([0, 2, 3].map((i) => recordId(SOURCE, i)));
    expect(outcome).toMatchObject({ shards: 2, pages: 5, records: 7 });
    expect(calls).toEqual([
      'ListShards',
      'GetShardIterator shardId-0 2024-03-01T12:59:30.000Z',
      'GetRecords shardId-0#0 10000',
      'GetRecords shardId-0#1 10000',
      'GetRecords shardId-0#2 10000',
      'GetShardIterator shardId-1 2024-03-01T12:59:30.000Z',
      'GetRecords shardId-1#0 10000',
      'GetRecords shardId-1#1 10000',
    ]);
    expect(pauses).toEqual([200, 200, 200]);
  });

  it('stops reading as soon as every wanted id is found', async () => {
    // Prepare
    const { port, calls } = fakeStream({
      'shardId-0': [page([rowRecord(0)], 5_000), page([rowRecord(1)]), tip()],
      'shardId-1': [page([rowRecord(7)]), tip()],
    });

    // Act
    const outcome = await findOnStream(port, NOW, idsOfSlice(SOURCE, { start: 0, end: 2 }), scanOptions);

    // Assess
    expect(outcome.found.size).toBe(2);
    expect(calls.filter((call) => call.startsWith('GetRecords'))).toEqual([
      'GetRecords shardId-0#0 10000',
      'GetRecords shardId-0#1 10000',
    ]);
  });

  it('reads a closed shard to its end and goes on to the next one', async () => {
    // Prepare: a parent shard closed by a reshard, and its child
    const { port } = fakeStream({
      'shardId-0': [{ records: [rowRecord(0)] }],
      'shardId-1': [page([rowRecord(1)]), tip()],
    });

    // Act
    const outcome = await findOnStream(port, NOW, idsOfSlice(SOURCE, { start: 0, end: 3 }), scanOptions);

    // Assess
    expect([...outcome.found]).toEqual([recordId(SOURCE, 0), recordId(SOURCE, 1)]);
  });

  it('asks nothing of the stream when no id is wanted', async () => {
    // Prepare
    const { port, calls } = fakeStream({ 'shardId-0': [tip()] });

    // Act
    const outcome = await findOnStream(port, NOW, new Set(), scanOptions);

    // Assess
    expect(outcome.found.size).toBe(0);
    expect(calls).toEqual([]);
  });

  it('fails rather than guess when a shard does not reach its tip within the page limit', async () => {
    // Prepare: a shard that keeps answering "behind"
    const behind = page([], 60_000);
    const { port } = fakeStream({ 'shardId-0': [behind, behind, behind, behind] });

    // Act
    const scan = findOnStream(port, NOW, idsOfSlice(SOURCE, { start: 0, end: 1 }), {
      ...scanOptions,
      maxPagesPerShard: 3,
    });

    // Assess
    await expect(scan).rejects.toThrow(
      'reading shardId-0 from 2024-03-01T13:00:00.000Z did not reach the tip of the stream in 3 pages',
    );
  });
});
