import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getBytes, putJson } from '../../adapters/s3-object-store.js';
import { LocalRuntime } from '../../local/local-runtime.js';
import { fanoutSystem } from '../fixtures/systems/fanout/system.js';

interface ChildOutput {
  ids: string[];
  threadId: number;
  input: { Items: { id: string; fail: boolean; index: number }[]; BatchInput: { runId: string } };
}

interface ExecutionResult {
  Name: string;
  ExecutionArn: string;
  StateMachineArn: string;
  Input: string;
  Output?: string;
  Error?: string;
  Cause?: string;
  Status: string;
}

async function readJson<T>(runtime: LocalRuntime, bucket: string, key: string): Promise<T> {
  const bytes = await getBytes(runtime.s3, bucket, key);
  if (!bytes) throw new Error(`no object s3://${bucket}/${key}`);
  return JSON.parse(Buffer.from(bytes).toString('utf8')) as T;
}

const fanout = (runtime: LocalRuntime, input: Record<string, unknown>) =>
  runtime.stateMachines.startExecution('fanout-run', input);

describe('Distributed Map on the local runtime (2 worker threads)', () => {
  let runtime: LocalRuntime;
  let dataDir: string;
  let stopped = false;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'smlp-dmap-'));
    runtime = await LocalRuntime.start({
      dataDir,
      systems: [fanoutSystem],
      shardCount: 1,
      distributedMapWorkers: 2,
    });
  });
  afterAll(async () => {
    if (!stopped) await runtime?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('reads the manifest, batches the items, runs each batch once in worker threads and writes AWS’s result files', async () => {
    // Prepare: 10 items in batches of 3; item 4 fails, so its batch (3 of 10 items) fails, within 40%
    const input = { runId: 'within', items: 10, failing: [4], tolerated: 40 };

    // Act
    const record = await fanout(runtime, input);

    // Assess: the Map's result names the manifest the ResultWriter wrote
    expect(record.status, record.cause).toBe('SUCCEEDED');
    const map = (
      record.output as { map: { MapRunArn: string; ResultWriterDetails: { Bucket: string; Key: string } } }
    ).map;
    const mapRunId = map.MapRunArn.split(':').at(-1);
    expect(map.MapRunArn).toMatch(
      /^arn:aws:states:us-east-1:000000000000:mapRun:.*fanout-run\/Work:[0-9a-f-]{36}$/,
    );
    expect(map.ResultWriterDetails).toEqual({
      Bucket: runtime.names.dataBucket,
      Key: `results/fanout/within/${mapRunId}/manifest.json`,
    });
    const manifest = await readJson<{
      DestinationBucket: string;
      MapRunArn: string;
      ResultFiles: Record<string, { Key: string; Size: number }[]>;
    }>(runtime, map.ResultWriterDetails.Bucket, map.ResultWriterDetails.Key);
    expect(manifest).toMatchObject({
      DestinationBucket: runtime.names.dataBucket,
      MapRunArn: map.MapRunArn,
      ResultFiles: {
        SUCCEEDED: [{ Key: `results/fanout/within/${mapRunId}/SUCCEEDED_0.json`, Size: expect.any(Number) }],
        FAILED: [{ Key: `results/fanout/within/${mapRunId}/FAILED_0.json`, Size: expect.any(Number) }],
        PENDING: [],
      },
    });
    const succeeded = await readJson<ExecutionResult[]>(
      runtime,
      runtime.names.dataBucket,
      manifest.ResultFiles.SUCCEEDED?.[0]?.Key ?? '',
    );
    const failed = await readJson<ExecutionResult[]>(
      runtime,
      runtime.names.dataBucket,
      manifest.ResultFiles.FAILED?.[0]?.Key ?? '',
    );
    expect(succeeded).toHaveLength(3);
    expect(failed).toEqual([
      expect.objectContaining({
        Status: 'FAILED',
        Error: 'WorkError',
        Cause: expect.stringContaining('item-4'),
      }),
    ]);
    for (const entry of [...succeeded, ...failed])
      expect(entry.ExecutionArn).toBe(
        `${entry.StateMachineArn.replace(':stateMachine:', ':execution:')}:${entry.Name}`,
      );

    // Every item went to exactly one child, in batches of at most 3 with the BatchInput
    const inputs = [...succeeded, ...failed].map((entry) => JSON.parse(entry.Input) as ChildOutput['input']);
    expect(inputs.flatMap((i) => i.Items.map((item) => item.id)).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `item-${i}`).sort(),
    );
    for (const batch of inputs) {
      expect(batch.Items.length).toBeLessThanOrEqual(3);
      expect(batch.BatchInput).toEqual({ runId: 'within' });
      for (const item of batch.Items)
        expect(item).toEqual({ id: `item-${item.index}`, fail: item.index === 4, index: item.index });
    }
    // Each child saw itself as its own execution, and ran in a worker thread, not this one
    const outputs = succeeded.map((entry) => JSON.parse(entry.Output ?? 'null') as ChildOutput);
    expect(outputs.map((o) => o.input)).toEqual(succeeded.map((entry) => JSON.parse(entry.Input)));
    const threads = new Set(outputs.map((o) => o.threadId));
    expect([...threads].every((id) => id > 0)).toBe(true);

    // The map run's counts and events, and the failed child's error among the task errors
    expect(record.mapRuns).toEqual([
      expect.objectContaining({
        mapRunArn: map.MapRunArn,
        status: 'SUCCEEDED',
        itemCounts: expect.objectContaining({ total: 10, succeeded: 7, failed: 3, pending: 0, running: 0 }),
        executionCounts: expect.objectContaining({ total: 4, succeeded: 3, failed: 1 }),
      }),
    ]);
    expect(record.events?.filter((e) => e.type.startsWith('MapRun')).map((e) => e.type)).toEqual([
      'MapRunStarted',
      'MapRunSucceeded',
    ]);
    expect(record.taskErrors).toEqual([expect.objectContaining({ state: 'WorkBatch', error: 'WorkError' })]);
  });

  it('spreads the children over the worker threads', async () => {
    // Prepare: 8 batches of one… three items, more than one per thread at once
    const input = { runId: 'spread', items: 24 };

    // Act
    const record = await fanout(runtime, input);

    // Assess: at least two different worker threads ran children (dispatch goes to the least busy)
    expect(record.status, record.cause).toBe('SUCCEEDED');
    const manifest = await readJson<{ ResultFiles: { SUCCEEDED: { Key: string }[] } }>(
      runtime,
      runtime.names.dataBucket,
      (record.output as { map: { ResultWriterDetails: { Key: string } } }).map.ResultWriterDetails.Key,
    );
    const succeeded = await readJson<ExecutionResult[]>(
      runtime,
      runtime.names.dataBucket,
      manifest.ResultFiles.SUCCEEDED[0]?.Key ?? '',
    );
    const threads = new Set(
      succeeded.map((entry) => (JSON.parse(entry.Output ?? 'null') as ChildOutput).threadId),
    );
    expect(threads.size).toBeGreaterThanOrEqual(2);
    expect(threads.has(0)).toBe(false);
  });

  it('fails the Map with States.ExceedToleratedFailureThreshold past the threshold, and its Catch takes over', async () => {
    // Prepare: the same failing batch is 30% of the items; 20% are tolerated
    const input = { runId: 'beyond', items: 10, failing: [4], tolerated: 20, maxConcurrency: 1 };

    // Act
    const record = await fanout(runtime, input);

    // Assess: caught, with the error in $.error; the run stopped starting children once past it
    expect(record.status, record.cause).toBe('SUCCEEDED');
    expect((record.output as { error: unknown }).error).toEqual({
      Error: 'States.ExceedToleratedFailureThreshold',
      Cause: expect.stringContaining('3 of 10 items failed'),
    });
    const run = record.mapRuns?.[0];
    expect(run?.status).toBe('FAILED');
    expect(run?.itemCounts).toMatchObject({ failed: 3, succeeded: 3, pending: 4 });
    expect(record.events?.filter((e) => e.type.startsWith('MapRun')).map((e) => e.type)).toEqual([
      'MapRunStarted',
      'MapRunFailed',
    ]);
  });

  it('returns the children’s outputs in item order without a ResultWriter, a tolerated failure as its execution result', async () => {
    // Prepare: four items from the input, the third fails; one failure is tolerated
    const items = [0, 1, 2, 3].map((i) => ({ id: `item-${i}`, fail: i === 2 }));

    // Act
    const record = await runtime.stateMachines.startExecution('fanout-each', { runId: 'inline', items });

    // Assess
    expect(record.status, record.cause).toBe('SUCCEEDED');
    const output = record.output as ({ ids: string[] } | { Status: string; Error: string; Input: string })[];
    expect(output).toHaveLength(4);
    expect(output.map((entry) => ('ids' in entry ? entry.ids : entry.Status))).toEqual([
      ['item-0'],
      ['item-1'],
      'FAILED',
      ['item-3'],
    ]);
    expect(output[2]).toMatchObject({ Error: 'WorkError', Status: 'FAILED' });
    expect(JSON.parse((output[2] as { Input: string }).Input)).toEqual({
      id: 'item-2',
      fail: true,
      runId: 'inline',
    });
  });

  it('fails the execution beyond the tolerated count, and a redrive runs the Map again', async () => {
    // Prepare: two of three items fail; one is tolerated
    const items = [0, 1, 2].map((i) => ({ id: `item-${i}`, fail: i > 0 }));
    const failed = await runtime.stateMachines.startExecution('fanout-each', { runId: 'redrive', items });
    expect(failed).toMatchObject({ status: 'FAILED', error: 'States.ExceedToleratedFailureThreshold' });
    expect(failed.redriveFrom?.state).toBe('Each');
    await putJson(runtime.s3, runtime.names.dataBucket, 'plans/fanout/redrive/healed', { healed: true });

    // Act
    const redriven = await runtime.stateMachines.finished(runtime.stateMachines.redrive(failed));

    // Assess
    expect(redriven.status, redriven.cause).toBe('SUCCEEDED');
    expect((redriven.output as { ids: string[] }[]).map((o) => o.ids)).toEqual([
      ['item-0'],
      ['item-1'],
      ['item-2'],
    ]);
    expect(redriven.mapRuns?.map((run) => run.status)).toEqual(['FAILED', 'SUCCEEDED']);
  });

  it('leaves no worker thread behind once the runtime stops', async () => {
    // Prepare: the pool's two threads are running
    expect(runtime.stateMachines.workerThreadIds).toHaveLength(2);

    // Act
    await runtime.stop();
    stopped = true;

    // Assess: each thread exited (Node's 'exit' event of the thread)
    expect(runtime.stateMachines.workerThreadIds).toEqual([]);
  });
});
