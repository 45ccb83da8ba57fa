import type { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { SystemDefinition } from '../../lib/config/system-definition.js';
import { localSfnClientConfig } from '../../ops/step-functions/client.js';
import type { OnFailureMessage, ShardPosition } from '../kinesis-event-source.js';
import type { LocalRuntime } from '../local-runtime.js';
import type { LocalHandler } from '../state-machine-runner.js';
import { BackfillRuns } from './backfill-runs.js';
import type { StreamStats } from './stream-stats.js';

/**
 * Everything the console reads or changes, handed in: the runtime's S3 client and buckets, the
 * systems of the pipeline definition, the stream's live state, and a Step Functions client with
 * the backfills it runs. The console names no system and keeps no state of its own beyond
 * caches and those backfills' progress.
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
  stepFunctions: StepFunctionsSource;
  /**
   * The runtime's loaded handlers by function key: a system's web API is answered by its function
   * in-process (system-api-proxy.ts). Left out, those routes answer 503.
   */
  handlers?: ReadonlyMap<string, LocalHandler>;
}

/** The Step Functions API the state-machine pages use: the runtime's, through the real SDK client, as the CLI. */
export interface StepFunctionsSource {
  client: SFNClient;
  backfills: BackfillRuns;
  /** Stops following backfills and releases the client. */
  close(): void;
}

export function stepFunctionsSourceOf(client: SFNClient): StepFunctionsSource {
  const backfills = new BackfillRuns(client);
  return {
    client,
    backfills,
    close: () => {
      backfills.stop();
      client.destroy();
    },
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
    stepFunctions: stepFunctionsSourceOf(new SFNClient(localSfnClientConfig(runtime.sfnEndpoint))),
    handlers: runtime.handlers,
  };
}
