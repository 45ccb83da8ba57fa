import { describe, expect, it } from 'vitest';
import { planIngest } from '../../../../core/streaming/ingest-plan.js';
import {
  envelopeBytes,
  ingestSpecs,
  SHARD_ID,
  sequenceNumber,
  streamRecord,
  waterReading,
  waterRecords,
} from '../../../support/factories.js';
import { expectNothingDropped } from './ingest-assertions.js';

const at = (iso: string): number => Date.parse(iso);

describe('planIngest groups records into runs by arrival hour', () => {
  it('makes one run and one raw key for records that arrived in the same hour', () => {
    // Prepare
    const records = waterRecords([
      at('2024-03-01T13:00:00Z'),
      at('2024-03-01T13:20:00Z'),
      at('2024-03-01T13:59:59.999Z'),
    ]);

    // Act
    const runs = planIngest(records, ingestSpecs);

    // Assess
    expectNothingDropped(records, runs);
    expect(runs).toHaveLength(1);
    expect(runs[0]?.firstSequenceNumber).toBe(sequenceNumber(1));
    expect(runs[0]?.raw?.key).toBe(
      `raw/water/dt=2024-03-01/hour=13/${SHARD_ID}-${sequenceNumber(1)}.ndjson.gz`,
    );
    expect(runs[0]?.raw?.partition).toEqual({ pipeline: 'water', day: '2024-03-01', hour: '13' });
    expect(runs[0]?.raw?.records).toHaveLength(3);
    expect(runs[0]?.quarantines).toEqual([]);
  });

  it('keeps the records of a run in stream order', () => {
    // Prepare
    const records = waterRecords([at('2024-03-01T13:00:00Z'), at('2024-03-01T13:01:00Z')], 7);

    // Act
    const runs = planIngest(records, ingestSpecs);

    // Assess
    const timestamps = (runs[0]?.raw?.records ?? []).map((r) => (r as { timestamp: string }).timestamp);
    expect(timestamps).toEqual(['2024-02-01T07:00:00.000Z', '2024-02-01T08:00:00.000Z']);
  });

  it('partitions by arrival time, not by the reading time inside the record', () => {
    // Prepare: readings from February that reach the stream on March 1st
    const records = waterRecords([at('2024-03-01T09:30:00Z')]);

    // Act
    const runs = planIngest(records, ingestSpecs);

    // Assess
    expect(runs[0]?.raw?.key).toBe(
      `raw/water/dt=2024-03-01/hour=09/${SHARD_ID}-${sequenceNumber(1)}.ndjson.gz`,
    );
  });

  it('starts a new run, keyed by its first record, when arrivals cross an hour boundary', () => {
    // Prepare
    const records = waterRecords([
      at('2024-03-01T13:10:00Z'),
      at('2024-03-01T13:59:59.999Z'),
      at('2024-03-01T14:00:00Z'),
      at('2024-03-01T14:30:00Z'),
    ]);

    // Act
    const runs = planIngest(records, ingestSpecs);

    // Assess
    expectNothingDropped(records, runs);
    expect(runs.map((run) => run.sequenceNumbers)).toEqual([
      [sequenceNumber(1), sequenceNumber(2)],
      [sequenceNumber(3), sequenceNumber(4)],
    ]);
    expect(runs.map((run) => run.raw?.key)).toEqual([
      `raw/water/dt=2024-03-01/hour=13/${SHARD_ID}-${sequenceNumber(1)}.ndjson.gz`,
      `raw/water/dt=2024-03-01/hour=14/${SHARD_ID}-${sequenceNumber(3)}.ndjson.gz`,
    ]);
  });

  it('starts a new run in a new day partition at midnight UTC', () => {
    // Prepare
    const records = waterRecords([at('2024-02-29T23:59:00Z'), at('2024-03-01T00:00:01Z')]);

    // Act
    const runs = planIngest(records, ingestSpecs);

    // Assess
    expectNothingDropped(records, runs);
    expect(runs.map((run) => run.raw?.key)).toEqual([
      `raw/water/dt=2024-02-29/hour=23/${SHARD_ID}-${sequenceNumber(1)}.ndjson.gz`,
      `raw/water/dt=2024-03-01/hour=00/${SHARD_ID}-${sequenceNumber(2)}.ndjson.gz`,
    ]);
  });

  it('starts a new run when arrivals come back to an hour seen before (not sorted by hour)', () => {
    // Prepare: the same hour twice, separated by another one
    const records = waterRecords([
      at('2024-03-01T13:50:00Z'),
      at('2024-03-01T14:05:00Z'),
      at('2024-03-01T13:55:00Z'),
    ]);

    // Act
    const runs = planIngest(records, ingestSpecs);

    // Assess
    expectNothingDropped(records, runs);
    expect(runs.map((run) => run.firstSequenceNumber)).toEqual([
      sequenceNumber(1),
      sequenceNumber(2),
      sequenceNumber(3),
    ]);
    expect(runs.map((run) => run.raw?.partition.hour)).toEqual(['13', '14', '13']);
  });

  it('uses the shard id of the batch in every key', () => {
    // Prepare
    const shardId = 'shardId-000000000007';
    const records = [
      streamRecord({ shardId, sequenceNumber: sequenceNumber(5) }),
      streamRecord({
        shardId,
        sequenceNumber: sequenceNumber(6),
        data: envelopeBytes(waterReading({ consumption: -1 })),
      }),
    ];

    // Act
    const runs = planIngest(records, ingestSpecs);

    // Assess
    expect(runs[0]?.raw?.key).toBe(
      `raw/water/dt=2024-03-01/hour=13/${shardId}-${sequenceNumber(5)}.ndjson.gz`,
    );
    expect(runs[0]?.quarantines[0]?.key).toBe(
      `quarantine/water/dt=2024-03-01/hour=13/${shardId}-${sequenceNumber(5)}.ndjson.gz`,
    );
  });
});

describe('planIngest keys are deterministic, so a retried run overwrites instead of duplicating', () => {
  it('gives a run the same raw key when a retry batch starts at that run, later in the same hour', () => {
    // Prepare: a batch of two runs; the second one failed to write and Kinesis retries from its first
    // record, with one more record that arrived since
    const arrivals = [
      at('2024-03-01T13:40:00Z'),
      at('2024-03-01T13:50:00Z'),
      at('2024-03-01T14:10:00Z'),
      at('2024-03-01T14:20:00Z'),
    ];
    const batch = waterRecords(arrivals);
    const retry = [...batch.slice(2), ...waterRecords([at('2024-03-01T14:45:00Z')], 5)];
    const original = planIngest(batch, ingestSpecs)[1];

    // Act
    const retried = planIngest(retry, ingestSpecs);

    // Assess
    expectNothingDropped(retry, retried);
    expect(retried).toHaveLength(1);
    expect(retried[0]?.raw?.key).toBe(original?.raw?.key);
    expect(retried[0]?.raw?.key).toBe(
      `raw/water/dt=2024-03-01/hour=14/${SHARD_ID}-${sequenceNumber(3)}.ndjson.gz`,
    );
    expect(retried[0]?.raw?.records.slice(0, 2)).toEqual(original?.raw?.records);
  });

  it('plans the same batch identically twice', () => {
    // Prepare
    const records = [
      ...waterRecords([at('2024-03-01T13:40:00Z'), at('2024-03-01T14:10:00Z')]),
      streamRecord({ sequenceNumber: sequenceNumber(3), arrivalMs: at('2024-03-01T14:11:00Z'), data: '{' }),
    ];

    // Act
    const first = planIngest(records, ingestSpecs);
    const second = planIngest(records, ingestSpecs);

    // Assess
    expect(second).toEqual(first);
  });

  it('puts the raw and quarantine objects of one run under the same shard and first sequence number', () => {
    // Prepare: valid, invalid, valid, all in one hour
    const records = [
      streamRecord({ sequenceNumber: sequenceNumber(1), data: envelopeBytes(waterReading()) }),
      streamRecord({
        sequenceNumber: sequenceNumber(2),
        data: envelopeBytes(waterReading({ consumption: -1 })),
      }),
      streamRecord({
        sequenceNumber: sequenceNumber(3),
        data: envelopeBytes(waterReading({ meterId: 'zone-a-meter-02' })),
      }),
    ];

    // Act
    const runs = planIngest(records, ingestSpecs);

    // Assess
    expectNothingDropped(records, runs);
    expect(runs).toHaveLength(1);
    expect(runs[0]?.raw?.key).toBe(
      `raw/water/dt=2024-03-01/hour=13/${SHARD_ID}-${sequenceNumber(1)}.ndjson.gz`,
    );
    expect(runs[0]?.quarantines[0]?.key).toBe(
      `quarantine/water/dt=2024-03-01/hour=13/${SHARD_ID}-${sequenceNumber(1)}.ndjson.gz`,
    );
    expect(runs[0]?.raw?.records).toHaveLength(2);
  });

  it('keys a run that starts with a quarantined record by that record, filed under the pipeline it names (none: unknown/)', () => {
    // Prepare
    const records = [
      streamRecord({ sequenceNumber: sequenceNumber(1), data: 'garbage' }),
      streamRecord({ sequenceNumber: sequenceNumber(2), data: envelopeBytes(waterReading()) }),
    ];

    // Act
    const runs = planIngest(records, ingestSpecs);

    // Assess
    expectNothingDropped(records, runs);
    expect(runs).toHaveLength(1);
    expect(runs[0]?.quarantines[0]?.key).toBe(
      `quarantine/unknown/dt=2024-03-01/hour=13/${SHARD_ID}-${sequenceNumber(1)}.ndjson.gz`,
    );
    expect(runs[0]?.raw?.key).toBe(
      `raw/water/dt=2024-03-01/hour=13/${SHARD_ID}-${sequenceNumber(1)}.ndjson.gz`,
    );
  });

  it('starts a new run for a quarantined record that arrived after the hour boundary, filed under its own hour', () => {
    // Prepare: valid at 13:59, invalid at 14:01, valid at 14:02
    const records = [
      streamRecord({ sequenceNumber: sequenceNumber(1), arrivalMs: at('2024-03-01T13:59:00Z') }),
      streamRecord({
        sequenceNumber: sequenceNumber(2),
        arrivalMs: at('2024-03-01T14:01:00Z'),
        data: 'garbage',
      }),
      streamRecord({
        sequenceNumber: sequenceNumber(3),
        arrivalMs: at('2024-03-01T14:02:00Z'),
        data: envelopeBytes(waterReading({ meterId: 'zone-a-meter-02' })),
      }),
    ];

    // Act
    const runs = planIngest(records, ingestSpecs);

    // Assess
    expectNothingDropped(records, runs);
    expect(runs.map((run) => run.sequenceNumbers)).toEqual([
      [sequenceNumber(1)],
      [sequenceNumber(2), sequenceNumber(3)],
    ]);
    expect(runs[1]?.quarantines[0]?.key).toBe(
      `quarantine/unknown/dt=2024-03-01/hour=14/${SHARD_ID}-${sequenceNumber(2)}.ndjson.gz`,
    );
    expect(runs[1]?.raw?.key).toBe(
      `raw/water/dt=2024-03-01/hour=14/${SHARD_ID}-${sequenceNumber(2)}.ndjson.gz`,
    );
  });

  it('does not let a run that starts with a quarantined record take in records of the next hour', () => {
    // Prepare: invalid at 13:59, valid at 14:01
    const records = [
      streamRecord({
        sequenceNumber: sequenceNumber(1),
        arrivalMs: at('2024-03-01T13:59:00Z'),
        data: 'garbage',
      }),
      streamRecord({ sequenceNumber: sequenceNumber(2), arrivalMs: at('2024-03-01T14:01:00Z') }),
    ];

    // Act
    const runs = planIngest(records, ingestSpecs);

    // Assess
    expectNothingDropped(records, runs);
    expect(runs.map((run) => run.sequenceNumbers)).toEqual([[sequenceNumber(1)], [sequenceNumber(2)]]);
    expect(runs[0]?.raw).toBeUndefined();
    expect(runs[1]?.raw?.key).toBe(
      `raw/water/dt=2024-03-01/hour=14/${SHARD_ID}-${sequenceNumber(2)}.ndjson.gz`,
    );
  });
});
