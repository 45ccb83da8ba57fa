import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  ListShardsCommand,
} from '@aws-sdk/client-kinesis';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { listObjects } from '../../adapters/s3-object-store.js';
import { decodeNdjsonGzip } from '../../core/streaming/ndjson.js';
import { distributedMapStates } from '../../lib/config/distributed-maps.js';
import { REPO_ROOT } from '../../lib/config/repo-root.js';
import type { SystemDefinition } from '../../lib/config/system-definition.js';
import { LOCALSTACK_HOME } from '../../local/localstack/install.js';
import { systems as allSystems } from '../../systems/index.js';

/**
 * The deployed system as a user reaches it: the stacks' outputs (written by global-setup.ts) and
 * SDK clients pointed at LocalStack through the standard AWS_ENDPOINT_URL variables.
 */
export const STAGE = 'lstest';

/**
 * Why LocalStack cannot run a system, or undefined when it can. LocalStack's community ASL grammar
 * (4.14, and still its newest community release) has no `ItemBatcher`: CreateStateMachine refuses a
 * Distributed Map that batches ("mismatched input '\"ItemBatcher\"'"), so the whole stack would
 * fail to deploy. Such a system is deployed to AWS and run by the local runtime, not here.
 */
export function localStackCannotRun(system: SystemDefinition): string | undefined {
  for (const machine of system.stateMachines) {
    const asl = JSON.parse(readFileSync(path.join(REPO_ROOT, machine.aslFile), 'utf8')) as {
      States: Record<string, { Type: string; [field: string]: unknown }>;
    };
    const batching = distributedMapStates(asl.States).find(([, state]) => state.ItemBatcher !== undefined);
    if (batching)
      return `${machine.name}'s Distributed Map "${batching[0]}" batches items (ItemBatcher), which LocalStack's community ASL parser refuses`;
  }
  return undefined;
}

/** The systems the tier deploys (`-c systems=…`) and runs: every one LocalStack can run. */
export const systems: readonly SystemDefinition[] = allSystems.filter((s) => !localStackCannotRun(s));
export const leftOut: readonly string[] = allSystems.flatMap((s) => {
  const why = localStackCannotRun(s);
  return why ? [`${s.name}: ${why}`] : [];
});
/** The port of the LocalStack in use: its files under .localstack/ are named by it. */
export const LOCALSTACK_PORT = new URL(process.env.AWS_ENDPOINT_URL ?? 'http://127.0.0.1:4566').port;
export const OUTPUTS_FILE = path.join(LOCALSTACK_HOME, `outputs-${STAGE}-${LOCALSTACK_PORT}.json`);
export const region = process.env.AWS_REGION ?? 'us-east-1';
export const endpoint = process.env.AWS_ENDPOINT_URL ?? '';
const clientConfig = { region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
// HTTP/1.1, as the handlers' client (lambdas/platform/clients.ts): LocalStack's gateway answers the
// SDK's default HTTP/2 with empty bodies or GOAWAY now and then.
export const kinesis = new KinesisClient({ ...clientConfig, requestHandler: new NodeHttpHandler() });
export const s3 = new S3Client({ ...clientConfig, forcePathStyle: true });
export const sfn = new SFNClient(clientConfig);

type Outputs = Record<string, Record<string, string>>;
let outputs: Outputs | undefined;

/** A stack output by the start of its key (CDK appends a hash to nested construct ids). */
export function output(prefix: string): string {
  outputs ??= JSON.parse(readFileSync(OUTPUTS_FILE, 'utf8')) as Outputs;
  for (const stack of Object.values(outputs)) {
    const key = Object.keys(stack).find((k) => k.startsWith(prefix));
    if (key) return stack[key] as string;
  }
  throw new Error(`no stack output starting with ${prefix}`);
}

/** Every output whose key ends with `suffix`, by key. */
export function outputsEndingWith(suffix: string): Record<string, string> {
  output('DataBucketName'); // loads them
  return Object.fromEntries(
    Object.values(outputs ?? {}).flatMap((stack) =>
      Object.entries(stack).filter(([key]) => key.endsWith(suffix)),
    ),
  );
}

export const stateMachineArn = (name: string) =>
  `arn:aws:states:${region}:000000000000:stateMachine:smlp-${STAGE}-${name}`;

export async function until<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

export interface FinishedExecution {
  status: string;
  output: Record<string, unknown>;
  error?: string;
  cause?: string;
}

/** Starts an execution as the console's "Start execution" does, and waits for its end. */
/** Executions this module started, so `triggeredExecution` can tell them from a rule's. */
const startedHere = new Set<string>();

export async function runStateMachine(name: string, input: unknown): Promise<FinishedExecution> {
  const { executionArn } = await sfn.send(
    new StartExecutionCommand({ stateMachineArn: stateMachineArn(name), input: JSON.stringify(input) }),
  );
  if (executionArn) startedHere.add(executionArn);
  return finishedExecution(name, executionArn);
}

/**
 * The end of the first execution of `name` started at or after `since` by something other than
 * this module (an EventBridge rule), as a deployed system's user would find it in the console.
 */
export function triggeredExecution(
  name: string,
  since: Date,
  timeoutMs: number,
): { finished: Promise<FinishedExecution>; cancel(): void } {
  let cancelled = false;
  const finished = (async () => {
    const executionArn = await until(`a ${name} execution started by its rule`, timeoutMs, async () => {
      if (cancelled) throw new Error(`stopped watching for ${name}`);
      const { executions = [] } = await sfn.send(
        new ListExecutionsCommand({ stateMachineArn: stateMachineArn(name) }),
      );
      const found = executions
        .filter((e) => e.executionArn && !startedHere.has(e.executionArn))
        .filter((e) => (e.startDate?.getTime() ?? 0) >= since.getTime() - 1000)
        .sort((a, b) => (a.startDate?.getTime() ?? 0) - (b.startDate?.getTime() ?? 0))[0];
      return found?.executionArn;
    });
    startedHere.add(executionArn);
    return finishedExecution(name, executionArn);
  })();
  // A cancelled watch rejects; nobody awaits it then.
  finished.catch(() => undefined);
  return {
    finished,
    cancel: () => {
      cancelled = true;
    },
  };
}

/** The end of an execution, as DescribeExecution reports it. */
export async function finishedExecution(
  name: string,
  executionArn: string | undefined,
): Promise<FinishedExecution> {
  return until(`${name} to finish`, 14 * 60_000, async () => {
    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (execution.status === 'RUNNING') return undefined;
    return {
      status: execution.status ?? 'UNKNOWN',
      output: execution.output ? (JSON.parse(execution.output) as Record<string, unknown>) : {},
      error: execution.error,
      cause:
        execution.status === 'SUCCEEDED' ? execution.cause : await failedTask(executionArn, execution.cause),
    };
  });
}

/** The execution's cause plus what the last failed task said: a Fail state's cause alone hides it. */
async function failedTask(executionArn: string | undefined, cause: string | undefined): Promise<string> {
  const { events = [] } = await sfn.send(
    new GetExecutionHistoryCommand({ executionArn, reverseOrder: true }),
  );
  const task = events.find((event) => event.taskFailedEventDetails)?.taskFailedEventDetails;
  return [cause, task ? `(last failed task: ${task.error}: ${task.cause})` : ''].filter(Boolean).join(' ');
}

/** Records on the stream, all shards, from the oldest. */
export async function recordsOnStream(streamName: string): Promise<number> {
  const { Shards = [] } = await kinesis.send(new ListShardsCommand({ StreamName: streamName }));
  let count = 0;
  for (const shard of Shards) {
    let { ShardIterator: iterator } = await kinesis.send(
      new GetShardIteratorCommand({
        StreamName: streamName,
        ShardId: shard.ShardId,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    while (iterator) {
      const page = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
      count += page.Records?.length ?? 0;
      if (!page.Records?.length && (page.MillisBehindLatest ?? 0) === 0) break;
      iterator = page.NextShardIterator;
    }
  }
  return count;
}

// The ingest function names each object it writes by shard and first sequence number; producer
// quarantine objects are named otherwise and never were on the stream.
const INGEST_OBJECT = /\/shardId-\d+-\d+\.ndjson\.gz$/;
const linesByKey = new Map<string, number>();

/** Records the ingest function has written: lines of its objects in raw/, archive/ and quarantine/. */
export async function recordsIngested(bucket: string): Promise<number> {
  let count = 0;
  for (const prefix of ['raw/', 'archive/', 'quarantine/']) {
    for (const { key } of await listObjects(s3, bucket, prefix)) {
      if (!INGEST_OBJECT.test(key)) continue;
      let lines = linesByKey.get(key);
      if (lines === undefined) {
        const body = await (
          await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))
        ).Body?.transformToByteArray();
        lines = body ? decodeNdjsonGzip(body).length : 0;
        linesByKey.set(key, lines);
      }
      count += lines;
    }
  }
  return count;
}
