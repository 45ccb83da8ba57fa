import { describe, expect, it, vi } from 'vitest';
import { MAX_RECORD_BYTES } from '../../../../core/streaming/envelope.js';
import {
  type IngestRun,
  planIngest,
  QUARANTINE_TEXT_LIMIT,
  type QuarantineEntry,
  type StreamRecord,
} from '../../../../core/streaming/ingest-plan.js';
import {
  ARRIVAL_MS,
  envelopeBytes,
  ingestSpecs,
  SHARD_ID,
  sequenceNumber,
  streamRecord,
  waterReading,
  waterReadingWithout,
} from '../../../support/factories.js';
import { expectNothingDropped } from './ingest-assertions.js';

const HOUR_MS = 3_600_000;

/**
 * Plans a batch of three records arriving in one hour: a valid reading, the record under test,
 * another valid reading. Checks nothing is dropped and the neighbours reach raw/ untouched, and
 * returns the quarantine entry of the record under test.
 */
function ingestBetweenValid(
  data: Uint8Array | string,
  arrivalMs = ARRIVAL_MS,
): { records: StreamRecord[]; runs: IngestRun[]; entry: QuarantineEntry } {
  const before = waterReading({ meterId: 'zone-b-meter-01', zone: 'zone-b' });
  const after = waterReading({ meterId: 'zone-b-meter-02', zone: 'zone-b' });
  const records = [
    streamRecord({ data: envelopeBytes(before), sequenceNumber: sequenceNumber(1), arrivalMs }),
    streamRecord({ data, sequenceNumber: sequenceNumber(2), arrivalMs: arrivalMs + 1_000 }),
    streamRecord({
      data: envelopeBytes(after),
      sequenceNumber: sequenceNumber(3),
      arrivalMs: arrivalMs + 2_000,
    }),
  ];

  const runs = planIngest(records, ingestSpecs);

  expectNothingDropped(records, runs);
  expect(runs).toHaveLength(1);
  expect(runs[0]?.raw?.records).toEqual([before, after]);
  const entries = runs[0]?.quarantines[0]?.entries ?? [];
  expect(entries.map((e) => e.sequenceNumber)).toEqual([sequenceNumber(2)]);
  const entry = entries[0];
  if (!entry) throw new Error('expected a quarantine entry');
  return { records, runs, entry };
}

/** Plans a batch of the given reading alone; it must be quarantined. */
function quarantinedReason(data: unknown, arrivalMs = ARRIVAL_MS): string {
  return ingestBetweenValid(envelopeBytes(data), arrivalMs).entry.reason;
}

/** Plans a batch of the given reading alone; it must reach raw/. */
function acceptedAlone(data: unknown, arrivalMs = ARRIVAL_MS): unknown[] {
  const records = [streamRecord({ data: envelopeBytes(data), arrivalMs })];
  const runs = planIngest(records, ingestSpecs);
  expectNothingDropped(records, runs);
  expect(runs[0]?.quarantines).toEqual([]);
  return runs[0]?.raw?.records ?? [];
}

describe('planIngest quarantines records that are not a valid envelope', () => {
  it('quarantines a record that is not JSON, keeping its text, shard and arrival', () => {
    // Prepare
    const text = 'meterId=zone-a-meter-01;consumption=1.2';

    // Act
    const { runs, entry } = ingestBetweenValid(text);

    // Assess
    expect(entry).toEqual({
      reason: expect.stringMatching(/^record is not JSON: /),
      pipeline: null,
      shardId: SHARD_ID,
      sequenceNumber: sequenceNumber(2),
      partitionKey: 'zone-a-meter-01',
      arrivalTime: new Date(ARRIVAL_MS + 1_000).toISOString(),
      bytes: text.length,
      text,
      truncated: false,
    });
    // Quarantine sits under the pipeline its first rejected record names: unreadable text names none
    expect(runs[0]?.quarantines[0]?.key).toBe(
      `quarantine/unknown/dt=2024-03-01/hour=13/${SHARD_ID}-${sequenceNumber(1)}.ndjson.gz`,
    );
  });

  it('files each rejected record under the system it names, whatever its neighbours name', () => {
    // Prepare: an unreadable record first, then a broken water reading, in one run
    const records = [
      streamRecord({ sequenceNumber: sequenceNumber(1), data: 'not json' }),
      streamRecord({
        sequenceNumber: sequenceNumber(2),
        data: envelopeBytes(waterReading({ consumption: -1 })),
      }),
      streamRecord({ sequenceNumber: sequenceNumber(3), data: 'not json either' }),
    ];

    // Act
    const runs = planIngest(records, ingestSpecs);

    // Assess: one object per system, keyed by the run's first record
    expectNothingDropped(records, runs);
    expect(runs).toHaveLength(1);
    expect(runs[0]?.quarantines.map((q) => [q.key, q.entries.map((entry) => entry.sequenceNumber)])).toEqual([
      [
        `quarantine/unknown/dt=2024-03-01/hour=13/${SHARD_ID}-${sequenceNumber(1)}.ndjson.gz`,
        [sequenceNumber(1), sequenceNumber(3)],
      ],
      [
        `quarantine/water/dt=2024-03-01/hour=13/${SHARD_ID}-${sequenceNumber(1)}.ndjson.gz`,
        [sequenceNumber(2)],
      ],
    ]);
  });

  it('files a batch in which no record names a known pipeline under quarantine/unknown/', () => {
    // Prepare
    const records = [
      streamRecord({ sequenceNumber: sequenceNumber(1), data: 'not json' }),
      streamRecord({ sequenceNumber: sequenceNumber(2), data: envelopeBytes(waterReading(), 'sewage') }),
    ];

    // Act
    const runs = planIngest(records, ingestSpecs);

    // Assess
    expectNothingDropped(records, runs);
    expect(runs).toHaveLength(1);
    expect(runs[0]?.quarantines[0]?.key).toBe(
      `quarantine/unknown/dt=2024-03-01/hour=13/${SHARD_ID}-${sequenceNumber(1)}.ndjson.gz`,
    );
    expect(runs[0]?.quarantines[0]?.entries.map((entry) => entry.pipeline)).toEqual([null, 'sewage']);
  });

  it.each([
    ['an array', '[1, 2, 3]'],
    ['a string', '"water"'],
    ['null', 'null'],
    ['a number', '42'],
  ])('quarantines JSON that is %s instead of an envelope object', (_what, text) => {
    // Prepare / Act
    const { entry } = ingestBetweenValid(text);

    // Assess
    expect(entry.reason).toBe('record is JSON but not an object with "pipeline" and "data"');
    expect(entry.text).toBe(text);
  });

  it('quarantines an envelope with extra fields, naming them and keeping the pipeline', () => {
    // Prepare
    const text = JSON.stringify({ pipeline: 'water', data: waterReading(), version: 2, source: 'x' });

    // Act
    const { runs, entry } = ingestBetweenValid(text);

    // Assess
    expect(entry.reason).toBe(
      'envelope has unexpected field(s): version, source (expected "pipeline", "data" and optionally "id")',
    );
    expect(entry.pipeline).toBe('water');
    expect(runs[0]?.quarantines[0]?.key).toMatch(/^quarantine\/water\/dt=2024-03-01\/hour=13\//);
  });

  it.each([
    ['a number', 7, 'got 7'],
    ['empty', '', 'got ""'],
    ['over 256 characters', 'x'.repeat(257), `got "${'x'.repeat(78)}`],
  ])('quarantines an envelope whose "id" is %s, keeping the pipeline', (_what, id, got) => {
    // Prepare
    const text = JSON.stringify({ pipeline: 'water', id, data: waterReading() });

    // Act
    const { entry } = ingestBetweenValid(text);

    // Assess
    expect(entry.reason).toContain(`envelope "id" must be a string of 1 to 256 characters, ${got}`);
    expect(entry.pipeline).toBe('water');
  });

  it('quarantines an envelope without a pipeline string', () => {
    // Prepare / Act
    const { entry } = ingestBetweenValid(JSON.stringify({ pipeline: 7, data: waterReading() }));

    // Assess
    expect(entry.reason).toBe('envelope has no "pipeline" string');
  });

  it('quarantines an envelope without data', () => {
    // Prepare / Act
    const { entry } = ingestBetweenValid(JSON.stringify({ pipeline: 'water' }));

    // Assess
    expect(entry.reason).toBe('envelope has no "data" field');
  });

  it('quarantines a record of an unknown pipeline, naming the pipeline', () => {
    // Prepare / Act
    const { entry } = ingestBetweenValid(envelopeBytes(waterReading(), 'sewage'));

    // Assess
    expect(entry.reason).toBe('unknown pipeline "sewage"');
    expect(entry.pipeline).toBe('sewage');
  });

  it('quarantines a record whose bytes are not valid UTF-8', () => {
    // Prepare
    const bytes = new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0xc3, 0x28, 0x7d]);

    // Act
    const { entry } = ingestBetweenValid(bytes);

    // Assess
    expect(entry.reason).toBe('record is not valid UTF-8 text');
    expect(entry.bytes).toBe(8);
    expect(entry.text.startsWith('{"a":')).toBe(true);
  });

  it('quarantines an empty record (0 bytes)', () => {
    // Prepare / Act
    const { entry } = ingestBetweenValid(new Uint8Array(0));

    // Assess
    expect(entry.reason).toBe('record is empty (0 bytes)');
    expect(entry.bytes).toBe(0);
    expect(entry.text).toBe('');
    expect(entry.truncated).toBe(false);
  });

  it('quarantines a record over 1 MiB with its size, storing only the first QUARANTINE_TEXT_LIMIT characters', () => {
    // Prepare: an otherwise valid envelope padded with JSON whitespace past the Kinesis limit
    const envelope = new TextDecoder().decode(envelopeBytes(waterReading()));
    const text = envelope.replace('{', `{${' '.repeat(MAX_RECORD_BYTES + 1 - envelope.length)}`);
    expect(text.length).toBe(MAX_RECORD_BYTES + 1);

    // Act
    const { entry } = ingestBetweenValid(text);

    // Assess
    expect(entry.reason).toBe(
      `record is ${MAX_RECORD_BYTES + 1} bytes, over the 1 MiB (${MAX_RECORD_BYTES} bytes) record limit`,
    );
    expect(entry.bytes).toBe(MAX_RECORD_BYTES + 1);
    expect(entry.truncated).toBe(true);
    expect(entry.text).toHaveLength(QUARANTINE_TEXT_LIMIT);
    expect(entry.text).toBe(text.slice(0, QUARANTINE_TEXT_LIMIT));
  });

  it('accepts a valid record of exactly 1 MiB', () => {
    // Prepare
    const envelope = new TextDecoder().decode(envelopeBytes(waterReading()));
    const text = envelope.replace('{', `{${' '.repeat(MAX_RECORD_BYTES - envelope.length)}`);
    const records = [streamRecord({ data: text })];

    // Act
    const runs = planIngest(records, ingestSpecs);

    // Assess
    expectNothingDropped(records, runs);
    expect(runs[0]?.raw?.records).toEqual([waterReading()]);
    expect(runs[0]?.quarantines).toEqual([]);
  });

  it('plans nothing for an empty batch', () => {
    // Prepare / Act
    const runs = planIngest([], ingestSpecs);

    // Assess
    expect(runs).toEqual([]);
  });
});

describe('planIngest quarantines water readings that break the schema, naming the field', () => {
  it('quarantines a reading with a missing field', () => {
    // Prepare / Act
    const reason = quarantinedReason(waterReadingWithout('zone'));

    // Assess
    expect(reason).toBe('missing field(s): zone');
  });

  it('quarantines a reading with an extra field, listing the allowed ones', () => {
    // Prepare / Act
    const reason = quarantinedReason(waterReading({ pressure: 3.1 }));

    // Assess
    expect(reason).toBe(
      'unexpected field(s): pressure (allowed: meterId, zone, timestamp, consumption, temperature, holiday)',
    );
  });

  it('quarantines data that is not an object', () => {
    // Prepare / Act
    const reason = quarantinedReason([waterReading()]);

    // Assess
    expect(reason).toBe('a water reading must be a JSON object, got an array');
  });

  it('quarantines a consumption sent as a string', () => {
    // Prepare / Act
    const reason = quarantinedReason(waterReading({ consumption: '1.5' }));

    // Assess
    expect(reason).toBe('consumption must be a number, got the string "1.5"');
  });

  it('quarantines a numeric meterId', () => {
    // Prepare / Act
    const reason = quarantinedReason(waterReading({ meterId: 17 }));

    // Assess
    expect(reason).toBe('meterId must be a string, got number 17');
  });

  it('quarantines an empty meterId', () => {
    // Prepare / Act
    const reason = quarantinedReason(waterReading({ meterId: '' }));

    // Assess
    expect(reason).toBe('meterId must be 1-128 characters, got 0');
  });

  it('quarantines a holiday sent as the string "false"', () => {
    // Prepare / Act
    const reason = quarantinedReason(waterReading({ holiday: 'false' }));

    // Assess
    expect(reason).toBe('holiday must be true or false, got the string "false"');
  });

  it.each(['NaN', 'Infinity', '-inf'])(
    'quarantines a consumption of %s (sent as a string), naming it',
    (text) => {
      // Prepare / Act
      const reason = quarantinedReason(waterReading({ consumption: text }));

      // Assess
      expect(reason).toBe(`consumption must be a finite number, got "${text}"`);
    },
  );

  it('quarantines a temperature of "NaN", where null would be accepted', () => {
    // Prepare / Act
    const reason = quarantinedReason(waterReading({ temperature: 'NaN' }));

    // Assess
    expect(reason).toBe('temperature must be a finite number, got "NaN"');
    expect(acceptedAlone(waterReading({ temperature: null }))).toEqual([waterReading({ temperature: null })]);
  });

  it('quarantines a null consumption', () => {
    // Prepare / Act
    const reason = quarantinedReason(waterReading({ consumption: null }));

    // Assess
    expect(reason).toBe('consumption must be a number, got null');
  });

  it('quarantines a negative consumption', () => {
    // Prepare / Act
    const reason = quarantinedReason(waterReading({ consumption: -0.5 }));

    // Assess
    expect(reason).toBe('consumption must be >= 0 m³, got -0.5');
  });

  it('accepts a consumption of 0', () => {
    // Prepare / Act
    const accepted = acceptedAlone(waterReading({ consumption: 0 }));

    // Assess
    expect(accepted).toEqual([waterReading({ consumption: 0 })]);
  });
});

describe('planIngest quarantines readings whose timestamp is unusable', () => {
  it.each(['2024-13-45 25:00', 'yesterday'])('quarantines the unparseable timestamp "%s"', (timestamp) => {
    // Prepare / Act
    const reason = quarantinedReason(waterReading({ timestamp }));

    // Assess
    expect(reason).toBe(`timestamp "${timestamp}" is not ISO-8601 with a zone (e.g. 2024-03-01T13:00:00Z)`);
  });

  it('quarantines an ISO-shaped timestamp with an impossible month, day and hour', () => {
    // Prepare / Act
    const reason = quarantinedReason(waterReading({ timestamp: '2024-13-45T25:00:00Z' }));

    // Assess
    expect(reason).toBe('timestamp "2024-13-45T25:00:00Z" is not a valid date');
  });

  it('quarantines February 30th instead of rolling it over to March 1st', () => {
    // Prepare / Act
    const reason = quarantinedReason(waterReading({ timestamp: '2024-02-30T10:00:00Z' }));

    // Assess
    expect(reason).toMatch(/^timestamp "2024-02-30T10:00:00Z" is not a valid date/);
  });

  it('quarantines a timestamp without a zone', () => {
    // Prepare / Act
    const reason = quarantinedReason(waterReading({ timestamp: '2024-03-01T12:00:00' }));

    // Assess
    expect(reason).toBe(
      'timestamp "2024-03-01T12:00:00" is not ISO-8601 with a zone (e.g. 2024-03-01T13:00:00Z)',
    );
  });

  it('quarantines a timestamp that is not a string', () => {
    // Prepare / Act
    const reason = quarantinedReason(waterReading({ timestamp: Date.UTC(2024, 2, 1, 12) }));

    // Assess
    expect(reason).toBe(`timestamp must be an ISO-8601 string, got number ${Date.UTC(2024, 2, 1, 12)}`);
  });

  it('quarantines a timestamp before 2000', () => {
    // Prepare / Act
    const reason = quarantinedReason(waterReading({ timestamp: '1999-12-31T23:00:00Z' }));

    // Assess
    expect(reason).toBe('timestamp 1999-12-31T23:00:00Z is before 2000-01-01');
  });

  it('quarantines a timestamp more than 24 h after the record reached the stream', () => {
    // Prepare: the bad record arrives one second after ARRIVAL_MS
    const arrival = ARRIVAL_MS + 1_000;
    const timestamp = new Date(arrival + 24 * HOUR_MS + 60_000).toISOString();

    // Act
    const reason = quarantinedReason(waterReading({ timestamp }));

    // Assess
    expect(reason).toBe(
      `timestamp ${timestamp} is more than 24 h after the record reached the stream (${new Date(arrival).toISOString()})`,
    );
  });

  it('accepts the last whole hour less than 24 h after the record reached the stream', () => {
    // Prepare: arrival at 13:05, so the hour starting at 13:00 the next day is 23 h 55 min ahead
    const timestamp = new Date(ARRIVAL_MS - (ARRIVAL_MS % HOUR_MS) + 24 * HOUR_MS).toISOString();

    // Act
    const accepted = acceptedAlone(waterReading({ timestamp }));

    // Assess
    expect(accepted).toEqual([waterReading({ timestamp })]);
  });

  it('judges "far future" against the arrival time, so a retry days later reaches the same verdict', () => {
    // Prepare: a reading 25 h ahead of its arrival, planned again three days after it arrived
    const timestamp = new Date(ARRIVAL_MS + 25 * HOUR_MS).toISOString();
    const records = [streamRecord({ data: envelopeBytes(waterReading({ timestamp })) })];
    const first = planIngest(records, ingestSpecs);
    vi.useFakeTimers({ now: ARRIVAL_MS + 72 * HOUR_MS });

    // Act
    let retried: IngestRun[];
    try {
      retried = planIngest(records, ingestSpecs);
    } finally {
      vi.useRealTimers();
    }

    // Assess
    expect(retried).toEqual(first);
    expect(retried[0]?.raw).toBeUndefined();
    expect(retried[0]?.quarantines[0]?.entries[0]?.reason).toMatch(
      /is more than 24 h after the record reached/,
    );
  });

  it('normalises a timestamp with an offset to UTC', () => {
    // Prepare / Act
    const accepted = acceptedAlone(waterReading({ timestamp: '2024-03-01T13:00+01:00' }));

    // Assess
    expect(accepted).toEqual([waterReading({ timestamp: '2024-03-01T12:00:00.000Z' })]);
  });
});

describe('planIngest quarantines water readings that name no real meter-hour', () => {
  it('quarantines a reading whose zone carries control characters, showing them escaped', () => {
    // Prepare / Act
    const reason = quarantinedReason(waterReading({ zone: 'zone\u0000\u0007-1' }));

    // Assess
    expect(reason).toBe(
      'zone "zone\\u0000\\u0007-1" contains the control character \\u0000 at index 4; identifiers must be printable text',
    );
  });

  it('quarantines a reading that is not stamped with the start of its hour', () => {
    // Prepare / Act
    const reason = quarantinedReason(waterReading({ timestamp: '2024-03-01T12:30:00Z' }));

    // Assess
    expect(reason).toBe(
      'timestamp 2024-03-01T12:30:00Z is not the start of an hour (UTC); a water reading covers one hour and is stamped with its start, e.g. 2024-03-01T12:00:00Z',
    );
  });
});

describe('planIngest quarantines duplicates within a batch', () => {
  it('keeps the first of two identical readings and quarantines the second, naming the first', () => {
    // Prepare
    const reading = waterReading();
    const other = waterReading({ meterId: 'zone-a-meter-02' });
    const records = [
      streamRecord({ data: envelopeBytes(reading), sequenceNumber: sequenceNumber(1) }),
      streamRecord({ data: envelopeBytes(other), sequenceNumber: sequenceNumber(2) }),
      streamRecord({ data: envelopeBytes(reading), sequenceNumber: sequenceNumber(3) }),
    ];

    // Act
    const runs = planIngest(records, ingestSpecs);

    // Assess
    expectNothingDropped(records, runs);
    expect(runs).toHaveLength(1);
    expect(runs[0]?.raw?.records).toEqual([reading, other]);
    expect(runs[0]?.quarantines[0]?.entries).toEqual([
      expect.objectContaining({
        sequenceNumber: sequenceNumber(3),
        pipeline: 'water',
        reason: `duplicate of the record at sequence number ${sequenceNumber(1)} in the same batch`,
      }),
    ]);
  });

  it('recognises a duplicate whose timestamp is written in another zone', () => {
    // Prepare
    const records = [
      streamRecord({ data: envelopeBytes(waterReading()), sequenceNumber: sequenceNumber(1) }),
      streamRecord({
        data: envelopeBytes(waterReading({ timestamp: '2024-03-01T14:00:00+02:00', consumption: 9 })),
        sequenceNumber: sequenceNumber(2),
      }),
    ];

    // Act
    const runs = planIngest(records, ingestSpecs);

    // Assess
    expectNothingDropped(records, runs);
    expect(runs[0]?.raw?.records).toEqual([waterReading()]);
    expect(runs[0]?.quarantines[0]?.entries[0]?.reason).toBe(
      `duplicate of the record at sequence number ${sequenceNumber(1)} in the same batch`,
    );
  });

  it('does not treat readings of the same hour from different meters as duplicates', () => {
    // Prepare
    const records = ['zone-a-meter-01', 'zone-a-meter-02', 'zone-b-meter-01'].map((meterId, i) =>
      streamRecord({ data: envelopeBytes(waterReading({ meterId })), sequenceNumber: sequenceNumber(i + 1) }),
    );

    // Act
    const runs = planIngest(records, ingestSpecs);

    // Assess
    expectNothingDropped(records, runs);
    expect(runs[0]?.raw?.records).toHaveLength(3);
    expect(runs[0]?.quarantines).toEqual([]);
  });
});
