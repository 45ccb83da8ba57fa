/**
 * Fixture factories for unit tests of the pure core: valid readings by default, overridable field
 * by field (including with values of the wrong type), and stream records as ingest sees them.
 */
import type { RecordSpec } from '../../core/pipelines/record-spec.js';
import { RecordSpecs } from '../../core/pipelines/record-specs.js';
import { encodeEnvelope } from '../../core/streaming/envelope.js';
import type { StreamRecord } from '../../core/streaming/ingest-plan.js';
import type { PutEntry } from '../../core/streaming/put-records.js';
import { type WaterReading, waterRecordSpec } from '../../systems/water/records/reading.js';

export const SHARD_ID = 'shardId-000000000000';

/**
 * The record specs unit tests plan ingest with: the water system's, whose readings these
 * factories make. Any other pipeline name (`sewage`) is one ingest does not know.
 */
export const ingestSpecs = new RecordSpecs([waterRecordSpec as RecordSpec<unknown>]);

/** 2024-03-01T13:05:00Z, a Friday: the default arrival time of stream records. */
export const ARRIVAL_MS = Date.UTC(2024, 2, 1, 13, 5);

/**
 * A realistic (56-digit) Kinesis sequence number ending in `n`, so numbers sort as their `n`.
 */
export function sequenceNumber(n: number): string {
  return `4959033827149025660855969253836157109592157598913658${String(n).padStart(4, '0')}`;
}

/** A valid water reading, one hour before `ARRIVAL_MS`; any field can be overridden with any value. */
export function waterReading(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const reading: WaterReading = {
    meterId: 'zone-a-meter-01',
    zone: 'zone-a',
    timestamp: '2024-03-01T12:00:00.000Z',
    consumption: 1.234,
    temperature: 9.5,
    holiday: false,
  };
  return { ...reading, ...overrides };
}

/** A valid reading without one of its fields. */
export function waterReadingWithout(field: keyof WaterReading): Record<string, unknown> {
  const reading = waterReading();
  delete reading[field];
  return reading;
}

/** Bytes of the stream envelope `{"pipeline": ..., "data": ...}`. */
export function envelopeBytes(data: unknown, pipeline = 'water'): Uint8Array {
  return encodeEnvelope(pipeline, data);
}

export interface StreamRecordOptions {
  /** Raw bytes, or text encoded as UTF-8. Defaults to a valid water reading in its envelope. */
  data?: Uint8Array | string;
  sequenceNumber?: string;
  arrivalMs?: number;
  shardId?: string;
  partitionKey?: string;
}

/** A stream record as ingest sees it (independent of the Lambda event shape). */
export function streamRecord(options: StreamRecordOptions = {}): StreamRecord {
  const data = options.data ?? envelopeBytes(waterReading());
  return {
    shardId: options.shardId ?? SHARD_ID,
    sequenceNumber: options.sequenceNumber ?? sequenceNumber(1),
    partitionKey: options.partitionKey ?? 'zone-a-meter-01',
    arrivalMs: options.arrivalMs ?? ARRIVAL_MS,
    data: typeof data === 'string' ? new TextEncoder().encode(data) : data,
  };
}

/**
 * Valid readings of one meter (distinct hours, so no duplicates), each in its own stream record
 * with sequence numbers `firstSeq`, `firstSeq + 1`, ... and the given arrival times.
 */
export function waterRecords(arrivals: readonly number[], firstSeq = 1): StreamRecord[] {
  return arrivals.map((arrivalMs, i) =>
    streamRecord({
      sequenceNumber: sequenceNumber(firstSeq + i),
      arrivalMs,
      data: envelopeBytes(
        waterReading({
          timestamp: new Date(Date.UTC(2024, 1, 1) + (firstSeq + i) * 3_600_000).toISOString(),
        }),
      ),
    }),
  );
}

/** A PutRecords entry whose data is the given text; the text doubles as the entry's identity. */
export function putEntry(id: string, partitionKey = 'pk'): PutEntry {
  return { partitionKey, data: new TextEncoder().encode(id) };
}
