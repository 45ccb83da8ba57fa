import { createHash } from 'node:crypto';
import type { KinesisStreamEvent } from 'aws-lambda';
import { seededRandom } from '../../../core/data/seeded-random.js';
import { encodeEnvelope } from '../../../core/streaming/envelope.js';
import type { StreamRecord } from '../../../core/streaming/ingest-plan.js';
import { generateWaterReadings } from '../../../systems/water/records/generator.js';

/** What the ingest bench feeds the Lambda's CPU path: per-shard batches in sequence order. */
export interface IngestWorkload {
  batches: StreamRecord[][];
  /** The same batches as Lambda delivers them (base64 data), for the row that includes decoding. */
  events: KinesisStreamEvent[];
  records: number;
  /** Envelope bytes in (the `data` of every record). */
  bytes: number;
  /** Records we broke on purpose: defective readings plus broken envelopes. */
  malformed: number;
  shards: number;
  batchSize: number;
  arrivalWindowHours: number;
}

const METERS_PER_ZONE = 8;
const ZONES = 8;
/** Data defects from the generator (negative, NaN, bad timestamp, missing field, text temperature). */
const READING_DEFECT_RATE = 0.004;
/** Defects a reading cannot have: broken envelopes (truncated JSON, unknown pipeline, extra field). */
const ENVELOPE_DEFECT_RATE = 0.001;

/**
 * Kinesis puts a record on the shard whose hash-key range holds MD5(partition key); with evenly
 * split shards the top bits of the digest pick the shard.
 */
function shardIndex(partitionKey: string, shards: number): number {
  const digest = createHash('md5').update(partitionKey).digest();
  return Math.floor((digest.readUInt32BE(0) / 2 ** 32) * shards);
}

function brokenEnvelope(kind: number, reading: unknown): Buffer {
  const envelope = encodeEnvelope('water', reading);
  if (kind === 0) return envelope.subarray(0, Math.floor(envelope.byteLength / 2));
  if (kind === 1) return encodeEnvelope('wtaer', reading);
  return Buffer.from(JSON.stringify({ pipeline: 'water', data: reading, sentAt: '2026-03-02T08:00:00Z' }));
}

/**
 * Generated water readings wrapped as stream records: ~0.5% malformed, partition keys spread over
 * `shards` shards the way Kinesis hashes them, 56-digit sequence numbers that grow per shard with
 * gaps, arrival times spread evenly over a few hours (so some batches span an hour boundary and
 * become two runs), cut into batches of `batchSize` per shard as the event source mapping delivers.
 */
export function buildIngestWorkload(options: {
  records: number;
  shards?: number;
  batchSize?: number;
  arrivalWindowHours?: number;
}): IngestWorkload {
  const shards = options.shards ?? 4;
  const batchSize = options.batchSize ?? 500;
  const arrivalWindowHours = options.arrivalWindowHours ?? 3;
  const meters = ZONES * METERS_PER_ZONE;
  const rows = generateWaterReadings({
    seed: 11,
    start: '2025-01-01T00:00:00Z',
    // A little extra for the hours the generator leaves out (missing meter-hours).
    hours: Math.ceil(options.records / meters / 0.99) + 1,
    zones: ZONES,
    metersPerZone: METERS_PER_ZONE,
    missingRate: 0.003,
    malformedRate: READING_DEFECT_RATE,
  }).slice(0, options.records);
  if (rows.length < options.records)
    throw new Error(`generator gave ${rows.length} rows, not ${options.records}`);

  const random = seededRandom(23);
  const windowStartMs = Date.parse('2026-03-02T07:40:00Z');
  const windowMs = arrivalWindowHours * 3_600_000;
  const perShard: StreamRecord[][] = Array.from({ length: shards }, () => []);
  const nextSequence = Array.from(
    { length: shards },
    (_, shard) =>
      49_659_273_860_483_294_187_215_234_598_713_095_271_836_419_253_827_715_074n +
      BigInt(shard) * 10n ** 40n,
  );
  let bytes = 0;
  let malformed = 0;
  rows.forEach((row, i) => {
    const reading = row.data as { meterId?: unknown };
    let data: Buffer;
    if (random() < ENVELOPE_DEFECT_RATE) {
      data = brokenEnvelope(Math.floor(random() * 3), row.data);
      malformed++;
    } else {
      data = encodeEnvelope('water', row.data);
      if (row.defect) malformed++;
    }
    // The producer's key: the meter, or a positional key when the row has none.
    const partitionKey = typeof reading.meterId === 'string' ? reading.meterId : `row-${i % 64}`;
    const shard = shardIndex(partitionKey, shards);
    // Real sequence numbers of consecutive records differ in their middle digits, not by one.
    const sequence =
      (nextSequence[shard] as bigint) + BigInt(1 + Math.floor(random() * 1_000_000)) * 2n ** 32n;
    nextSequence[shard] = sequence;
    (perShard[shard] as StreamRecord[]).push({
      shardId: `shardId-${String(shard).padStart(12, '0')}`,
      sequenceNumber: sequence.toString(),
      partitionKey,
      arrivalMs: windowStartMs + Math.floor((i * windowMs) / rows.length),
      data,
    });
    bytes += data.byteLength;
  });

  const batches: StreamRecord[][] = [];
  for (const records of perShard) {
    for (let start = 0; start < records.length; start += batchSize)
      batches.push(records.slice(start, start + batchSize));
  }
  return {
    batches,
    events: batches.map(toKinesisEvent),
    records: rows.length,
    bytes,
    malformed,
    shards,
    batchSize,
    arrivalWindowHours,
  };
}

/** The event Lambda hands the ingest function: base64 data, arrival time in seconds. */
function toKinesisEvent(batch: StreamRecord[]): KinesisStreamEvent {
  return {
    Records: batch.map((record) => ({
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: `${record.shardId}:${record.sequenceNumber}`,
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: 'arn:aws:iam::000000000000:role/bench',
      awsRegion: 'us-east-1',
      eventSourceARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/bench',
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: record.partitionKey,
        sequenceNumber: record.sequenceNumber,
        data: Buffer.from(record.data).toString('base64'),
        approximateArrivalTimestamp: record.arrivalMs / 1000,
      },
    })),
  };
}
