import type { KinesisStreamEvent } from 'aws-lambda';
import type { StreamRecord } from '../../core/streaming/ingest-plan.js';

/** Lambda's Kinesis event → the plain records ingest plans with. */
export function toStreamRecords(event: KinesisStreamEvent): StreamRecord[] {
  if (!event || !Array.isArray(event.Records)) {
    throw new Error('ingest expects a Kinesis event with a Records array');
  }
  return event.Records.map((record) => ({
    // eventID is "<shardId>:<sequenceNumber>".
    shardId: record.eventID.split(':')[0] ?? 'unknown-shard',
    sequenceNumber: record.kinesis.sequenceNumber,
    partitionKey: record.kinesis.partitionKey,
    arrivalMs: Math.round(record.kinesis.approximateArrivalTimestamp * 1000),
    data: Buffer.from(record.kinesis.data, 'base64'),
  }));
}
