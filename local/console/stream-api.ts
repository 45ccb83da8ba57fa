import type { OnFailureMessage } from '../kinesis-event-source.js';
import type { OnFailureView, StreamView } from './api-types.js';
import type { ConsoleSources } from './console-sources.js';
import type { Route } from './route.js';

/** On-failure messages shown; the file under the data directory keeps them all. */
const ON_FAILURE_SHOWN = 50;

/** `GET /api/stream`: records in over time, each shard's iterator lag, the on-failure messages. */
export function streamRoutes(sources: ConsoleSources): Route[] {
  return [
    {
      method: 'GET',
      path: '/api/stream',
      async handle() {
        const { stats } = sources.stream;
        const view: StreamView = {
          totals: stats.totals(),
          recordsIn: stats.recordsIn(),
          bucketSeconds: stats.bucketMs / 1000,
          shards: sources.stream.shardPositions().map((shard) => ({
            shardId: shard.shardId,
            millisBehindLatest: shard.millisBehindLatest ?? null,
            buffered: shard.buffered,
          })),
          onFailure: sources.stream.onFailure().slice(-ON_FAILURE_SHOWN).reverse().map(onFailureView),
          recentErrors: stats.recentErrors(),
        };
        return { json: view };
      },
    },
  ];
}

function onFailureView(message: OnFailureMessage): OnFailureView {
  const batch = message.KinesisBatchInfo;
  return {
    at: message.timestamp,
    condition: message.requestContext.condition,
    shardId: batch.shardId,
    records: batch.batchSize,
    firstSequenceNumber: batch.startSequenceNumber,
    lastSequenceNumber: batch.endSequenceNumber,
    functionError: message.responseContext?.functionError ?? null,
  };
}
