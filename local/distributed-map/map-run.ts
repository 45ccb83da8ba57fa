import { randomUUID } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import { type Batch, makeBatches } from './batches.js';
import type { ChildContext, ChildResult } from './child-execution.js';
import { readItems } from './item-reader.js';
import type { DistributedMapState } from './map-state.js';
import { type ExecutionResult, ResultWriterFailed, resultFiles, writeResults } from './result-writer.js';
import { PayloadTemplate, queryPath } from './template.js';
import { EXCEED_TOLERATED_FAILURE, exceedsTolerance, type Tolerance, toleranceCause } from './tolerance.js';

export interface MapRunCounts {
  total: number;
  pending: number;
  running: number;
  succeeded: number;
  failed: number;
  aborted: number;
}

/** A map run as DescribeMapRun would show it; updated while it runs. */
export interface MapRunRecord {
  mapRunArn: string;
  /** The Map state that started it. */
  stateName: string;
  executionArn: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  startDate: string;
  stopDate?: string;
  maxConcurrency: number;
  toleratedFailurePercentage: number;
  toleratedFailureCount: number;
  /** Items (a failed batch fails all of its items, as AWS counts them). */
  itemCounts: MapRunCounts;
  /** Child executions. */
  executionCounts: MapRunCounts;
  error?: string;
  cause?: string;
}

export interface MapRunOptions {
  stateName: string;
  state: DistributedMapState;
  /** The Map state's effective input and the execution's context object. */
  input: unknown;
  context: Record<string, unknown>;
  /** `arn:…:stateMachine:<name>` and `arn:…:execution:<name>:<execution>` of the parent. */
  stateMachineArn: string;
  executionArn: string;
  /** Runs one child execution (in a worker thread or in this one); never rejects for a failed child. */
  runChild: (input: unknown, context: ChildContext) => Promise<ChildResult>;
  /** Children in flight at most, whatever MaxConcurrency says (0 there: unbounded on AWS). */
  localLimit: number;
  s3: () => S3Client;
  signal: AbortSignal;
  /** Called when the run starts, after each child ends, and when it ends. */
  progress: (run: MapRunRecord) => void;
}

const counts = (total: number): MapRunCounts => ({
  total,
  pending: total,
  running: 0,
  succeeded: 0,
  failed: 0,
  aborted: 0,
});

/**
 * One Distributed Map run with AWS's semantics: items from the ItemReader (or ItemsPath),
 * ItemSelector per item, ItemBatcher, children each a separate execution of the ItemProcessor, at
 * most MaxConcurrency at once, the tolerated failure threshold over items, and the ResultWriter's
 * files. Resolves with the state's result; rejects with the error the Map state fails with.
 */
export async function runMap(options: MapRunOptions): Promise<unknown> {
  const { state, input, context } = options;
  const label = state.Label ?? options.stateName;
  const mapRunId = randomUUID();
  const mapRunArn = `${options.stateMachineArn.replace(':stateMachine:', ':mapRun:')}/${label}:${mapRunId}`;
  const childMachineArn = `${options.stateMachineArn}/${label}`;
  const number = async (value: number | undefined, path: string | undefined) =>
    path ? ((await queryPath(path, input, context)) as number) : value;

  const items = await readItems(state, input, context, options.s3);
  const selector = state.ItemSelector ? new PayloadTemplate(state.ItemSelector) : undefined;
  const selected: unknown[] = [];
  for (const [index, value] of items.entries())
    selected.push(
      selector
        ? await selector.evaluate(input, { ...context, Map: { Item: { Index: index, Value: value } } })
        : value,
    );
  const batcher = state.ItemBatcher;
  const batches = makeBatches(
    selected,
    batcher && {
      maxItems: await number(batcher.MaxItemsPerBatch, batcher.MaxItemsPerBatchPath),
      maxBytes: await number(batcher.MaxInputBytesPerBatch, batcher.MaxInputBytesPerBatchPath),
      ...(batcher.BatchInput
        ? { batchInput: await new PayloadTemplate(batcher.BatchInput).evaluate(input, context) }
        : {}),
    },
  );
  const tolerance: Tolerance = {
    percentage: await number(state.ToleratedFailurePercentage, state.ToleratedFailurePercentagePath),
    count: await number(state.ToleratedFailureCount, state.ToleratedFailureCountPath),
  };
  const maxConcurrency = (await number(state.MaxConcurrency, state.MaxConcurrencyPath)) ?? 0;
  const limit = Math.max(
    1,
    Math.min(maxConcurrency > 0 ? maxConcurrency : Number.POSITIVE_INFINITY, options.localLimit),
  );

  const run: MapRunRecord = {
    mapRunArn,
    stateName: options.stateName,
    executionArn: options.executionArn,
    status: 'RUNNING',
    startDate: new Date().toISOString(),
    maxConcurrency,
    toleratedFailurePercentage: tolerance.percentage ?? 0,
    toleratedFailureCount: tolerance.count ?? 0,
    itemCounts: counts(items.length),
    executionCounts: counts(batches.length),
  };
  options.progress(run);

  const results: ((ChildResult & { name: string }) | undefined)[] = new Array(batches.length);
  let next = 0;
  let exceeded = false;
  await new Promise<void>((done) => {
    let running = 0;
    const pump = () => {
      // Past the threshold (or once stopped) no new child starts; running ones finish, as on AWS.
      while (running < limit && next < batches.length && !exceeded && !options.signal.aborted) {
        const index = next++;
        const batch = batches[index] as Batch;
        const name = randomUUID();
        running++;
        move(run, batch, 'pending', 'running');
        const childContext: ChildContext = {
          Execution: {
            Id: `${childMachineArn.replace(':stateMachine:', ':execution:')}:${name}`,
            Name: name,
            Input: batch.input,
          },
          StateMachine: { Id: childMachineArn, Name: childMachineArn.split(':').at(-1) ?? label },
        };
        void options.runChild(batch.input, childContext).then((result) => {
          results[index] = { ...result, name };
          running--;
          move(run, batch, 'running', result.status === 'SUCCEEDED' ? 'succeeded' : 'failed');
          if (exceedsTolerance(run.itemCounts.failed, run.itemCounts.total, tolerance)) exceeded = true;
          options.progress(run);
          pump();
        });
      }
      if (running === 0) done();
    };
    pump();
  });

  const failed = exceeded || options.signal.aborted;
  if (failed) {
    for (const batch of batches.slice(next))
      move(run, batch, 'pending', options.signal.aborted ? 'aborted' : 'pending');
  }
  const exported = batches.map((batch, index): ExecutionResult => {
    const result = results[index];
    const inputText = JSON.stringify(batch.input);
    if (!result) return { Input: inputText, InputDetails: { Included: true }, Status: 'PENDING' };
    return {
      ExecutionArn: `${childMachineArn.replace(':stateMachine:', ':execution:')}:${result.name}`,
      Name: result.name,
      StateMachineArn: childMachineArn,
      Input: inputText,
      InputDetails: { Included: true },
      ...(result.status === 'SUCCEEDED'
        ? { Output: JSON.stringify(result.output ?? null), OutputDetails: { Included: true } as const }
        : { Error: result.error ?? 'States.Runtime', Cause: result.cause ?? '' }),
      Status: result.status,
      StartDate: result.startDate,
      StopDate: result.stopDate,
      RedriveCount: 0,
      RedriveStatus: result.status === 'SUCCEEDED' ? 'NOT_REDRIVABLE' : 'REDRIVABLE_BY_MAP_RUN',
    };
  });

  const finish = (status: MapRunRecord['status'], error?: { name: string; message: string }) => {
    run.status = status;
    run.stopDate = new Date().toISOString();
    if (error) {
      run.error = error.name;
      run.cause = error.message;
    }
    options.progress(run);
  };
  try {
    let output: unknown = exported.map((entry, index) =>
      entry.Status === 'SUCCEEDED' ? (results[index] as ChildResult).output : entry,
    );
    if (state.ResultWriter) {
      const { Bucket, Prefix } = (await new PayloadTemplate(state.ResultWriter.Parameters ?? {}).evaluate(
        input,
        context,
      )) as { Bucket?: string; Prefix?: string };
      if (!Bucket) throw new ResultWriterFailed('the ResultWriter names no Bucket');
      const { files, manifestKey } = resultFiles({
        bucket: Bucket,
        prefix: Prefix ?? '',
        mapRunArn,
        results: exported,
      });
      await writeResults(options.s3(), Bucket, files);
      output = { MapRunArn: mapRunArn, ResultWriterDetails: { Bucket, Key: manifestKey } };
    }
    if (options.signal.aborted)
      throw Object.assign(new Error('the execution was stopped'), { name: 'States.Aborted' });
    if (exceeded)
      throw Object.assign(new Error(toleranceCause(run.itemCounts.failed, run.itemCounts.total, tolerance)), {
        name: EXCEED_TOLERATED_FAILURE,
      });
    finish('SUCCEEDED');
    return output;
  } catch (error) {
    const e = error as Error;
    finish(options.signal.aborted ? 'ABORTED' : 'FAILED', e);
    throw e;
  }
}

function move(run: MapRunRecord, batch: Batch, from: keyof MapRunCounts, to: keyof MapRunCounts): void {
  if (from === to) return;
  run.itemCounts[from] -= batch.indexes.length;
  run.itemCounts[to] += batch.indexes.length;
  run.executionCounts[from] -= 1;
  run.executionCounts[to] += 1;
}
