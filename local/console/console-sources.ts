import type { S3Client } from '@aws-sdk/client-s3';
import type { SystemDefinition } from '../../lib/config/system-definition.js';
import type { OnFailureMessage, ShardPosition } from '../kinesis-event-source.js';
import type { LocalRuntime } from '../local-runtime.js';
import type { StreamStats } from './stream-stats.js';

/**
 * Everything the console reads or changes, handed in: the runtime's S3 client and buckets, the
 * systems of the pipeline definition, and the stream's live state. The console names no system
 * and keeps no state of its own beyond caches.
 */
export interface ConsoleSources {
  systems: readonly SystemDefinition[];
  s3: S3Client;
  dataBucket: string;
  artifactsBucket: string;
  stream: {
    stats: StreamStats;
    shardPositions(): ShardPosition[];
    onFailure(): readonly OnFailureMessage[];
  };
}

/** The sources of a running LocalRuntime, with the stats its `activity` callback feeds. */
export function consoleSourcesOf(runtime: LocalRuntime, stats: StreamStats): ConsoleSources {
  return {
    systems: runtime.definition.systems,
    s3: runtime.s3,
    dataBucket: runtime.names.dataBucket,
    artifactsBucket: runtime.names.artifactsBucket,
    stream: {
      stats,
      shardPositions: () => runtime.eventSource.shardPositions(),
      onFailure: () => runtime.onFailure,
    },
  };
}
