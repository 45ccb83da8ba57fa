import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
  ListShardsCommand,
} from '@aws-sdk/client-kinesis';

/** Every record on every shard of a stream, decoded from the stream envelope. */
export async function readWholeStream(
  kinesis: KinesisClient,
  streamName: string,
): Promise<{ pipeline: string; data: Record<string, unknown>; partitionKey: string }[]> {
  const { Shards = [] } = await kinesis.send(new ListShardsCommand({ StreamName: streamName }));
  const records: { pipeline: string; data: Record<string, unknown>; partitionKey: string }[] = [];
  for (const shard of Shards) {
    let iterator = (
      await kinesis.send(
        new GetShardIteratorCommand({
          StreamName: streamName,
          ShardId: shard.ShardId,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      )
    ).ShardIterator;
    while (iterator) {
      const page = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
      for (const record of page.Records ?? []) {
        const envelope = JSON.parse(Buffer.from(record.Data ?? new Uint8Array()).toString('utf8'));
        records.push({ ...envelope, partitionKey: record.PartitionKey ?? '' });
      }
      if ((page.Records ?? []).length === 0 || page.MillisBehindLatest === 0) break;
      iterator = page.NextShardIterator;
    }
  }
  return records;
}
