import { describe, expect, it } from 'vitest';
import type { RecordSpec } from '../../../../core/pipelines/record-spec.js';
import { decodeEnvelope, MAX_RECORD_BYTES } from '../../../../core/streaming/envelope.js';
import { recordId, replaySlices, toPutEntries } from '../../../../core/streaming/replay.js';
import { waterRecordSpec } from '../../../../systems/water/records/reading.js';
import { waterReading, waterReadingWithout } from '../../../support/factories.js';

const spec = waterRecordSpec as RecordSpec<unknown>;

describe('replaySlices', () => {
  it('slices batches from the cursor offset', () => {
    // Prepare / Act
    const slices = replaySlices(250, 1_000, 100, 3);

    // Assess
    expect(slices).toEqual([
      { start: 250, end: 350 },
      { start: 350, end: 450 },
      { start: 450, end: 550 },
    ]);
  });

  it('stops at the end of the data set, with a short last batch', () => {
    // Prepare / Act
    const slices = replaySlices(850, 1_000, 100, 5);

    // Assess
    expect(slices).toEqual([
      { start: 850, end: 950 },
      { start: 950, end: 1_000 },
    ]);
  });

  it('sends nothing once the cursor has reached the total', () => {
    // Prepare / Act / Assess
    expect(replaySlices(1_000, 1_000, 100, 3)).toEqual([]);
    expect(replaySlices(1_200, 1_000, 100, 3)).toEqual([]);
  });

  it('sends at most numBatches batches', () => {
    // Prepare / Act
    const slices = replaySlices(0, 10_000, 7, 4);

    // Assess
    expect(slices).toHaveLength(4);
    expect(slices.at(-1)).toEqual({ start: 21, end: 28 });
  });
});

describe('toPutEntries', () => {
  it('wraps each row in the envelope with the meter id as partition key', () => {
    // Prepare
    const rows = [waterReading(), waterReading({ meterId: 'zone-b-meter-02', zone: 'zone-b' })];

    // Act
    const { entries, unsendable } = toPutEntries(spec, rows);

    // Assess
    expect(unsendable).toEqual([]);
    expect(entries.map((e) => e.partitionKey)).toEqual(['zone-a-meter-01', 'zone-b-meter-02']);
    expect(entries.map((e) => decodeEnvelope(e.data))).toEqual(
      rows.map((data) => ({ ok: true, envelope: { pipeline: 'water', data } })),
    );
  });

  it("names each entry as row i of its data set when given the rows' origin", () => {
    // Prepare: rows 40 and 41 of data set "0123456789abcdef"
    const rows = [waterReading(), waterReading({ meterId: 'zone-a-meter-02' })];

    // Act
    const { entries } = toPutEntries(spec, rows, { sourceId: '0123456789abcdef', firstIndex: 40 });

    // Assess
    expect(entries.map((e) => e.id)).toEqual(['0123456789abcdef:40', '0123456789abcdef:41']);
    expect(recordId('0123456789abcdef', 41)).toBe('0123456789abcdef:41');
    expect(entries.map((e) => decodeEnvelope(e.data))).toEqual(
      rows.map((data, i) => ({ ok: true, envelope: { pipeline: 'water', id: entries[i]?.id, data } })),
    );
  });

  it('keys a malformed row by its place in the data set, so sending it again keeps its key', () => {
    // Prepare: row 70 of the data set, sent first in a batch from 70 and again alone
    const rows = [{ broken: true }, { broken: true }];

    // Act
    const inBatch = toPutEntries(spec, rows, { sourceId: 's', firstIndex: 70 });
    const alone = toPutEntries(spec, rows.slice(1), { sourceId: 's', firstIndex: 71 });

    // Assess
    expect(inBatch.entries.map((e) => e.partitionKey)).toEqual(['row-6', 'row-7']);
    expect(alone.entries[0]).toEqual(inBatch.entries[1]);
  });

  it('still sends malformed rows (ingest quarantines them), keyed by a stable positional fallback', () => {
    // Prepare: no meter id, a numeric one, an empty one, and not an object at all
    const rows = [
      waterReadingWithout('meterId'),
      waterReading({ meterId: 17 }),
      waterReading({ meterId: '' }),
      'not a reading',
    ];

    // Act
    const first = toPutEntries(spec, rows);
    const second = toPutEntries(spec, rows);

    // Assess
    expect(first.unsendable).toEqual([]);
    expect(first.entries.map((e) => e.partitionKey)).toEqual(['row-0', 'row-1', 'row-2', 'row-3']);
    expect(second.entries.map((e) => e.partitionKey)).toEqual(first.entries.map((e) => e.partitionKey));
    for (const entry of first.entries) {
      expect(entry.partitionKey.length).toBeGreaterThan(0);
      expect(entry.partitionKey.length).toBeLessThanOrEqual(256);
    }
  });

  it('spreads fallback partition keys over at most 64 values', () => {
    // Prepare
    const rows = Array.from({ length: 200 }, () => ({ broken: true }));

    // Act
    const { entries } = toPutEntries(spec, rows);

    // Assess
    expect(new Set(entries.map((e) => e.partitionKey)).size).toBe(64);
  });

  it('sets aside a row over the 1 MiB record limit with its size, and sends the others', () => {
    // Prepare
    const huge = waterReading({ zone: 'x'.repeat(MAX_RECORD_BYTES) });
    const rows = [waterReading(), huge, waterReading({ meterId: 'zone-a-meter-02' })];

    // Act
    const { entries, unsendable } = toPutEntries(spec, rows);

    // Assess
    expect(entries.map((e) => e.partitionKey)).toEqual(['zone-a-meter-01', 'zone-a-meter-02']);
    expect(unsendable).toHaveLength(1);
    const bytes = Buffer.byteLength(JSON.stringify({ pipeline: 'water', data: huge }));
    const withKey = bytes + 'zone-a-meter-01'.length;
    expect(unsendable[0]?.reason).toBe(
      `record is ${withKey} bytes with its partition key, over the 1 MiB Kinesis record limit`,
    );
    expect(unsendable[0]?.row).toEqual({ bytes, head: expect.stringMatching(/^\{"pipeline":"water"/) });
  });

  it('counts the partition key towards the 1 MiB limit', () => {
    // Prepare: an envelope of exactly 1 MiB, with a 15-character meter id as partition key
    const base = Buffer.byteLength(JSON.stringify({ pipeline: 'water', data: waterReading({ zone: '' }) }));
    const row = waterReading({ zone: 'z'.repeat(MAX_RECORD_BYTES - base) });

    // Act
    const { entries, unsendable } = toPutEntries(spec, [row]);

    // Assess
    expect(entries).toEqual([]);
    expect(unsendable[0]?.reason).toMatch(/over the 1 MiB Kinesis record limit/);
  });
});
