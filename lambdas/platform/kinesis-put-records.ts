import { type KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import type { PutRecordsPort } from '../../core/streaming/put-records.js';
import { handlerEnv } from './env.js';

/**
 * The PutRecords port on the SDK, writing to the handler's stream (`STREAM_NAME`, read at each
 * call). The client is the caller's own, which its tests reach to inject faults.
 */
export function kinesisPutRecordsPort(kinesis: KinesisClient): PutRecordsPort {
  return {
    async putRecords(entries) {
      const response = await kinesis.send(
        new PutRecordsCommand({
          StreamName: handlerEnv.streamName(),
          Records: entries.map((entry) => ({ PartitionKey: entry.partitionKey, Data: entry.data })),
        }),
      );
      return (response.Records ?? []).map((r) => ({
        sequenceNumber: r.SequenceNumber,
        shardId: r.ShardId,
        errorCode: r.ErrorCode,
        errorMessage: r.ErrorMessage,
      }));
    },
  };
}
