import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  DescribeExecutionCommand,
  type DescribeExecutionOutput,
  DescribeStateMachineCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  ExecutionNotRedrivable,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  InvalidExecutionInput,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  RedriveExecutionCommand,
  SFNClient,
  StartExecutionCommand,
  StateMachineDoesNotExist,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalRuntime } from '../../local/local-runtime.js';
import type { LocalHandler } from '../../local/state-machine-runner.js';

/**
 * The local runtime's Step Functions API, driven with the real SDK client exactly as a CLI or a
 * console would drive AWS. The archive machine is the subject: on an empty bucket it plans,
 * finds nothing and ends in about a second. Two kinds of execution are steered by their name
 * through the runtime's handler hook: `held-*` waits until the test lets it go (an execution
 * that is still running), and `fail-once-*` archives a stand-in plan whose second batch fails
 * the first time it is moved (a failure inside the Map, for redrive).
 */
const ARCHIVE = 'arn:aws:states:us-east-1:000000000000:stateMachine:smlp-local-archive';
const executionArn = (name: string) =>
  `arn:aws:states:us-east-1:000000000000:execution:smlp-local-archive:${name}`;

let release: () => void = () => {};
const held = new Promise<void>((resolve) => {
  release = resolve;
});
const archiveCalls: { execution: string; action: string; batchIndex?: number }[] = [];

/** Steers the archive function by execution name; every other execution gets the real handler. */
function steerArchive(key: string, handler: LocalHandler): LocalHandler {
  if (key !== 'archive') return handler;
  let failedOnce = false;
  return async (event) => {
    const { action, input, execution } = event as {
      action: string;
      input: { runId?: string; batchIndex?: number };
      execution?: { name: string };
    };
    // Only the plan step carries the execution's name; the stand-in plan's runId carries it on.
    const name = execution?.name ?? input.runId ?? '';
    archiveCalls.push({
      execution: name,
      action,
      ...(input.batchIndex !== undefined ? { batchIndex: input.batchIndex } : {}),
    });
    if (name.startsWith('held-')) await held;
    if (!name.startsWith('fail-once-')) return handler(event);
    if (action === 'plan') return { runId: name, pipeline: 'water', objectCount: 4, batchIndexes: [0, 1] };
    if (action === 'move' && input.batchIndex === 1 && !failedOnce) {
      failedOnce = true;
      // Not retried (InputError has no retries), so the iteration and the Map fail.
      throw Object.assign(new Error('batch 1 is not readable yet'), { name: 'InputError' });
    }
    if (action === 'move') return { batchIndex: input.batchIndex, moved: 2, alreadyArchived: 0, missing: 0 };
    return { moved: 4 };
  };
}

const dataDir = mkdtempSync(path.join(tmpdir(), 'smlp-sfn-api-'));
let runtime: LocalRuntime;
let sfn: SFNClient;

beforeAll(async () => {
  runtime = await LocalRuntime.start({ dataDir, shardCount: 1, wrapHandler: steerArchive });
  sfn = new SFNClient({
    endpoint: runtime.sfnEndpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});

afterAll(async () => {
  release();
  sfn?.destroy();
  await runtime?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function untilEnded(arn: string): Promise<DescribeExecutionOutput> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
    if (execution.status !== 'RUNNING' || Date.now() > deadline) return execution;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function history(arn: string): Promise<HistoryEvent[]> {
  return (await sfn.send(new GetExecutionHistoryCommand({ executionArn: arn }))).events ?? [];
}

/** What a console's timeline shows: the state events, by type and state name. */
const timeline = (events: HistoryEvent[]) =>
  events.map((e) =>
    [e.type, e.stateEnteredEventDetails?.name ?? e.stateExitedEventDetails?.name].join(' ').trim(),
  );

describe('the local Step Functions API, through the SDK', () => {
  it('lists every state machine by its deployed name and describes one with the definition it runs', async () => {
    // Act
    const { stateMachines } = await sfn.send(new ListStateMachinesCommand({}));
    const archive = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: ARCHIVE }));
    // Assess
    expect(stateMachines?.map((m) => m.name)).toEqual(
      expect.arrayContaining([
        'smlp-local-archive',
        'smlp-local-water-stream',
        'smlp-local-sensors-training',
      ]),
    );
    expect(stateMachines?.find((m) => m.name === 'smlp-local-archive')).toMatchObject({
      stateMachineArn: ARCHIVE,
      type: 'STANDARD',
      creationDate: expect.any(Date),
    });
    expect(archive).toMatchObject({ name: 'smlp-local-archive', status: 'ACTIVE', type: 'STANDARD' });
    const definition = JSON.parse(archive.definition ?? '{}');
    expect(definition.StartAt).toBe('Plan');
    // The executed definition: placeholders filled with the local function ARNs.
    expect(definition.States.Plan.Parameters.FunctionName).toBe(
      'arn:aws:lambda:us-east-1:000000000000:function:smlp-local-archive',
    );
  });

  it('starts an execution that runs in the background, then describes its end and its history state by state', async () => {
    // Act
    const started = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: ARCHIVE,
        name: 'nothing-yet',
        input: '{"pipeline":"water"}',
      }),
    );
    const ended = await untilEnded(started.executionArn ?? '');
    const events = await history(started.executionArn ?? '');
    // Assess
    expect(started).toMatchObject({ executionArn: executionArn('nothing-yet'), startDate: expect.any(Date) });
    expect(ended).toMatchObject({
      status: 'SUCCEEDED',
      name: 'nothing-yet',
      stateMachineArn: ARCHIVE,
      redriveCount: 0,
    });
    expect(JSON.parse(ended.input ?? '')).toEqual({ pipeline: 'water' });
    expect(JSON.parse(ended.output ?? '')).toMatchObject({ pipeline: 'water', objectCount: 0 });
    expect(ended.stopDate?.getTime()).toBeGreaterThanOrEqual(ended.startDate?.getTime() ?? Infinity);
    expect(timeline(events)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered Plan',
      'TaskStateExited Plan',
      'ChoiceStateEntered AnythingToArchive',
      'ChoiceStateExited AnythingToArchive',
      'SucceedStateEntered NothingToArchive',
      'SucceedStateExited NothingToArchive',
      'ExecutionSucceeded',
    ]);
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
    const planEntered = events.find((e) => e.stateEnteredEventDetails?.name === 'Plan');
    const planExited = events.find((e) => e.stateExitedEventDetails?.name === 'Plan');
    expect(JSON.parse(planEntered?.stateEnteredEventDetails?.input ?? '')).toEqual({ pipeline: 'water' });
    expect(JSON.parse(planExited?.stateExitedEventDetails?.output ?? '')).toMatchObject({ objectCount: 0 });
    expect(planExited?.timestamp?.getTime()).toBeGreaterThanOrEqual(
      planEntered?.timestamp?.getTime() ?? Infinity,
    );
  });

  it('answers a repeated start of a running execution with the same execution, refuses another input, and stops it', async () => {
    // Prepare
    const start = (input: string) =>
      sfn.send(new StartExecutionCommand({ stateMachineArn: ARCHIVE, name: 'held-1', input }));
    const first = await start('{"pipeline":"water"}');
    // Act
    const again = await start('{"pipeline":"water"}');
    const otherInput = await start('{"pipeline":"sensors"}').catch((error: unknown) => error);
    const stopped = await sfn.send(
      new StopExecutionCommand({
        executionArn: first.executionArn,
        error: 'Manual',
        cause: 'stopped by the test',
      }),
    );
    const afterStop = await sfn.send(new DescribeExecutionCommand({ executionArn: first.executionArn }));
    const closedAgain = await start('{"pipeline":"water"}').catch((error: unknown) => error);
    // Assess
    expect(again).toEqual({ ...first, $metadata: expect.anything() });
    expect(otherInput).toBeInstanceOf(ExecutionAlreadyExists);
    expect(stopped.stopDate).toBeInstanceOf(Date);
    expect(afterStop).toMatchObject({ status: 'ABORTED', error: 'Manual', cause: 'stopped by the test' });
    expect(afterStop.redriveStatus).toBe('NOT_REDRIVABLE');
    // Standard workflows: a closed execution's name cannot be started again.
    expect(closedAgain).toBeInstanceOf(ExecutionAlreadyExists);
    expect(timeline(await history(first.executionArn ?? '')).at(-1)).toBe('ExecutionAborted');
    release();
  });

  it('answers errors as the SDK exceptions AWS would: unknown machine, bad input, unknown execution, not redrivable', async () => {
    // Act
    const unknownMachine = await sfn
      .send(new StartExecutionCommand({ stateMachineArn: `${ARCHIVE}-nope`, input: '{}' }))
      .catch((error: unknown) => error);
    const badInput = await sfn
      .send(new StartExecutionCommand({ stateMachineArn: ARCHIVE, input: '{"pipeline":' }))
      .catch((error: unknown) => error);
    const unknownExecution = await sfn
      .send(new DescribeExecutionCommand({ executionArn: executionArn('never-started') }))
      .catch((error: unknown) => error);
    const succeeded = await sfn
      .send(new RedriveExecutionCommand({ executionArn: executionArn('nothing-yet') }))
      .catch((error: unknown) => error);
    // Assess
    expect(unknownMachine).toBeInstanceOf(StateMachineDoesNotExist);
    expect((unknownMachine as Error).message).toContain('smlp-local-archive-nope');
    expect(badInput).toBeInstanceOf(InvalidExecutionInput);
    expect(unknownExecution).toBeInstanceOf(ExecutionDoesNotExist);
    expect(succeeded).toBeInstanceOf(ExecutionNotRedrivable);
    expect((succeeded as Error).message).toBe('Execution is SUCCEEDED and cannot be redriven');
  });

  it('redrives a failed execution from its unsuccessful step, as AWS does: a Fail state reached through a Catch fails again, and nothing before it runs again', async () => {
    // Prepare: a batch inside the MoveBatches Map fails; the Catch ends the execution in ArchiveFailed
    const { executionArn: arn } = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: ARCHIVE,
        name: 'fail-once-1',
        input: '{"pipeline":"water"}',
      }),
    );
    const failed = await untilEnded(arn ?? '');
    const callsBefore = archiveCalls.filter((c) => c.execution === 'fail-once-1').length;
    // Act
    const redrive = await sfn.send(new RedriveExecutionCommand({ executionArn: arn }));
    const redriven = await untilEnded(arn ?? '');
    const events = await history(arn ?? '');
    // Assess
    expect(failed).toMatchObject({ status: 'FAILED', error: 'ArchiveFailed', redriveStatus: 'REDRIVABLE' });
    expect(failed.cause).toContain('batch 1 is not readable yet');
    expect(redrive.redriveDate).toBeInstanceOf(Date);
    // The unsuccessful step was the Fail state: it runs again and fails again, as the same execution.
    expect(redriven).toMatchObject({
      status: 'FAILED',
      error: 'ArchiveFailed',
      redriveCount: 1,
      redriveDate: redrive.redriveDate,
    });
    expect(archiveCalls.filter((c) => c.execution === 'fail-once-1')).toHaveLength(callsBefore);
    const steps = timeline(events);
    const redrivenAt = steps.indexOf('ExecutionRedriven');
    expect(steps.slice(0, redrivenAt)).toEqual(
      expect.arrayContaining([
        'TaskFailed',
        'MapStateFailed',
        'FailStateEntered ArchiveFailed',
        'ExecutionFailed',
      ]),
    );
    expect(steps.slice(redrivenAt + 1)).toEqual(['FailStateEntered ArchiveFailed', 'ExecutionFailed']);
    expect(events.find((e) => e.type === 'ExecutionRedriven')?.executionRedrivenEventDetails).toEqual({
      redriveCount: 1,
    });
    const taskFailed = events.find((e) => e.type === 'TaskFailed')?.taskFailedEventDetails;
    expect(taskFailed).toMatchObject({ error: 'InputError', cause: 'batch 1 is not readable yet' });
    const iterations = events.filter((e) => e.type === 'MapIterationFailed');
    expect(iterations.map((e) => e.mapIterationFailedEventDetails)).toEqual([
      { name: 'MoveBatches', index: 1 },
    ]);
  });

  it('lists the executions of a machine newest first, filtered by status and by pages, those started in-process too', async () => {
    // Prepare: an execution started through the in-process API, as the scheduler starts them
    await runtime.stateMachines.startExecution('archive', { pipeline: 'sensors' }, 'in-process-1');
    // Act
    const succeeded = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: ARCHIVE, statusFilter: 'SUCCEEDED' }),
    );
    const aborted = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: ARCHIVE, statusFilter: 'ABORTED' }),
    );
    const firstPage = await sfn.send(new ListExecutionsCommand({ stateMachineArn: ARCHIVE, maxResults: 2 }));
    const secondPage = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: ARCHIVE, maxResults: 2, nextToken: firstPage.nextToken }),
    );
    // Assess
    const failed = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: ARCHIVE, statusFilter: 'FAILED' }),
    );
    expect(succeeded.executions?.map((e) => e.name)).toEqual(['in-process-1', 'nothing-yet']);
    expect(failed.executions?.map((e) => e.name)).toEqual(['fail-once-1']);
    expect(failed.executions?.[0]).toMatchObject({ redriveCount: 1, redriveDate: expect.any(Date) });
    expect(aborted.executions?.map((e) => e.name)).toEqual(['held-1']);
    expect([...(firstPage.executions ?? []), ...(secondPage.executions ?? [])].map((e) => e.name)).toEqual([
      'in-process-1',
      'fail-once-1',
      'held-1',
      'nothing-yet',
    ]);
    expect(secondPage.nextToken).toBeUndefined();
  });
});
