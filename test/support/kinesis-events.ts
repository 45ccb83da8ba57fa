import type { KinesisStreamEvent } from 'aws-lambda';

export interface EventRecordInit {
  /** Bytes or a value to JSON-encode. */
  data: Uint8Array | string | object;
  sequenceNumber: string;
  arrivalMs: number;
  partitionKey?: string;
  shardId?: string;
}

/** A Kinesis event exactly as Lambda delivers it to a function (base64 data, seconds arrival). */
export function kinesisEvent(records: EventRecordInit[]): KinesisStreamEvent {
  return {
    Records: records.map((record) => {
      const bytes =
        record.data instanceof Uint8Array
          ? record.data
          : Buffer.from(typeof record.data === 'string' ? record.data : JSON.stringify(record.data), 'utf8');
      const shardId = record.shardId ?? 'shardId-000000000000';
      return {
        eventSource: 'aws:kinesis',
        eventVersion: '1.0',
        eventID: `${shardId}:${record.sequenceNumber}`,
        eventName: 'aws:kinesis:record',
        invokeIdentityArn: 'arn:aws:iam::000000000000:role/test',
        awsRegion: 'us-east-1',
        eventSourceARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/test',
        kinesis: {
          kinesisSchemaVersion: '1.0',
          partitionKey: record.partitionKey ?? 'pk',
          sequenceNumber: record.sequenceNumber,
          data: Buffer.from(bytes).toString('base64'),
          approximateArrivalTimestamp: record.arrivalMs / 1000,
        },
      };
    }),
  };
}

/** Sequence numbers as Kinesis makes them: long digit strings that sort in order. */
export function sequenceNumber(n: number): string {
  return `4960000000000000000000000000000000000000000${String(n).padStart(12, '0')}`;
}

export function validReading(hour: number, meterId = 'zone-a-meter-01') {
  return {
    meterId,
    zone: 'zone-a',
    timestamp: new Date(Date.UTC(2024, 0, 1, hour)).toISOString(),
    consumption: 1.25 + hour / 100,
    temperature: 8.5,
    holiday: false,
  };
}

export function envelope(data: unknown, pipeline = 'water') {
  return { pipeline, data };
}
