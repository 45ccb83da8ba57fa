import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/data/input-fields.js';
import { type FunctionKey, functions, stateMachines } from '../../lib/config/pipeline-definition.js';
import { REPO_ROOT } from '../../lib/config/repo-root.js';
import { type LocalHandler, LocalStateMachines } from '../../local/state-machine-runner.js';

/** The project's ASL files, run locally with stand-in handlers: this tests the state machines' own logic. */
const arn = (key: string) => `arn:aws:lambda:us-east-1:000000000000:function:${key}`;

function machinesWith(handlers: Partial<Record<FunctionKey, LocalHandler>>) {
  const unused: LocalHandler = async () => {
    throw new Error('not expected to be called');
  };
  return new LocalStateMachines({
    repoRoot: REPO_ROOT,
    definitions: stateMachines,
    functionArn: arn,
    handlers: new Map(
      (Object.keys(functions) as FunctionKey[]).map((key) => [arn(key), handlers[key] ?? unused]),
    ),
    retryIntervalMs: 1,
  });
}

const transient = () =>
  Object.assign(new Error('Rate exceeded'), { name: 'ProvisionedThroughputExceededException' });

describe('stream state machine (state-machines/stream.asl.json)', () => {
  it('passes the console input and the execution name to the producer and ends in Produced', async () => {
    // Prepare
    const payloads: unknown[] = [];
    const machines = machinesWith({
      producer: async (payload) => {
        payloads.push(payload);
        return { produced: 600, noNewData: false };
      },
    });
    // Act
    const execution = await machines.startExecution('stream', {}, 'hourly-1');
    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.output).toEqual({ produced: 600, noNewData: false });
    expect(payloads).toEqual([
      { input: {}, execution: { name: 'hourly-1', startTime: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) } },
    ]);
  });

  it('retries a transient producer error and succeeds', async () => {
    // Prepare
    let calls = 0;
    const machines = machinesWith({
      producer: async () => {
        calls++;
        if (calls < 3) throw transient();
        return { produced: 1, noNewData: false };
      },
    });
    // Act
    const execution = await machines.startExecution('stream', {});
    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    expect(calls).toBe(3);
  });

  it('does not retry invalid input and fails as InvalidInput with the reason kept', async () => {
    // Prepare
    let calls = 0;
    const machines = machinesWith({
      producer: async () => {
        calls++;
        throw new InputError('batchSize must be a whole number from 1 to 10000, got 0');
      },
    });
    // Act
    const execution = await machines.startExecution('stream', { batchSize: 0 });
    // Assess
    expect(calls).toBe(1);
    expect(execution).toMatchObject({ status: 'FAILED', error: 'InvalidInput' });
    expect(execution.cause).toContain('InputError: batchSize must be a whole number from 1 to 10000, got 0');
  });

  it('fails as ProduceFailed after the retries run out', async () => {
    // Prepare
    const machines = machinesWith({
      producer: async () => {
        throw transient();
      },
    });
    // Act
    const execution = await machines.startExecution('stream', {});
    // Assess
    expect(execution).toMatchObject({ status: 'FAILED', error: 'ProduceFailed' });
    expect(execution.taskErrors.length).toBe(3);
  });
});

describe('archive state machine (state-machines/archive.asl.json)', () => {
  it('plans, moves every batch in a Map and summarises the results in order', async () => {
    // Prepare
    const calls: { action: string; input: Record<string, unknown> }[] = [];
    const machines = machinesWith({
      archive: async (payload) => {
        const { action, input } = payload as { action: string; input: Record<string, unknown> };
        calls.push({ action, input });
        if (action === 'plan')
          return { runId: 'r1', pipeline: 'water', objectCount: 5, batchIndexes: [0, 1, 2] };
        if (action === 'move')
          return { batchIndex: input.batchIndex, moved: 2, alreadyArchived: 0, missing: 0 };
        return { moved: (input.results as unknown[]).length * 2 };
      },
    });
    // Act
    const execution = await machines.startExecution('archive', {});
    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    expect(
      calls
        .filter((c) => c.action === 'move')
        .map((c) => c.input)
        .sort((a, b) => Number(a.batchIndex) - Number(b.batchIndex)),
    ).toEqual([
      { pipeline: 'water', runId: 'r1', batchIndex: 0 },
      { pipeline: 'water', runId: 'r1', batchIndex: 1 },
      { pipeline: 'water', runId: 'r1', batchIndex: 2 },
    ]);
    const summarize = calls.find((c) => c.action === 'summarize');
    expect(((summarize?.input.results ?? []) as { batchIndex: number }[]).map((r) => r.batchIndex)).toEqual([
      0, 1, 2,
    ]);
    expect(execution.output).toEqual({ moved: 6 });
  });

  it('ends in NothingToArchive without moving anything when the plan is empty', async () => {
    // Prepare
    const actions: string[] = [];
    const machines = machinesWith({
      archive: async (payload) => {
        actions.push((payload as { action: string }).action);
        return { runId: 'r2', pipeline: 'water', objectCount: 0, batchIndexes: [] };
      },
    });
    // Act
    const execution = await machines.startExecution('archive', {});
    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    expect(actions).toEqual(['plan']);
  });

  it('fails as ArchiveFailed when a batch keeps failing', async () => {
    // Prepare
    const machines = machinesWith({
      archive: async (payload) => {
        const { action } = payload as { action: string };
        if (action === 'plan') return { runId: 'r3', pipeline: 'water', objectCount: 1, batchIndexes: [0] };
        throw Object.assign(new Error('We encountered an internal error.'), { name: 'InternalError' });
      },
    });
    // Act
    const execution = await machines.startExecution('archive', {});
    // Assess
    expect(execution).toMatchObject({ status: 'FAILED', error: 'ArchiveFailed' });
  });
});

describe('binding ASL to handlers', () => {
  it('refuses to load a Task whose function has no local handler, instead of calling AWS', () => {
    // Act / Assess
    expect(
      () =>
        new LocalStateMachines({
          repoRoot: REPO_ROOT,
          definitions: stateMachines,
          functionArn: arn,
          handlers: new Map(),
        }),
    ).toThrow(/Task "Produce" .* has no local binding/);
  });
});

describe('retrain state machine (state-machines/retrain.asl.json)', () => {
  const collected = { runId: 'run-7', newReadings: 120, manifestKey: 'runs/water/run-7/data.json' };
  const challenger = { version: 'v2', order: '(1,0,1)(1,1,1)24', aic: -10, holdoutMae: 0.1 };

  function recorder(overrides: Partial<Record<FunctionKey, LocalHandler>> = {}) {
    const calls: { fn: string; payload: Record<string, unknown> }[] = [];
    const record =
      (fn: FunctionKey, result: unknown): LocalHandler =>
      async (payload) => {
        calls.push({ fn, payload: payload as Record<string, unknown> });
        const override = overrides[fn];
        return override ? override(payload) : result;
      };
    const machines = machinesWith({
      series: record('series', collected),
      train: record('train', { challenger }),
      promote: record('promote', { promoted: true, reason: 'better', championVersion: 'v2' }),
      report: record('report', { key: 'reports/water/run-7/report.json' }),
      archive: record('archive', { moved: 3, alreadyArchived: 0, missing: 0, changed: 0 }),
    });
    return { calls, machines };
  }

  it('collects, trains, decides, reports and archives exactly the data the run consumed', async () => {
    // Prepare
    const { calls, machines } = recorder();
    // Act
    const execution = await machines.startExecution('retrain', {});
    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    expect(calls.map((c) => `${c.fn}:${c.payload.action}`)).toEqual([
      'series:collect',
      'train:train',
      'promote:decide',
      'report:report',
      'archive:move',
    ]);
    expect(calls.at(-1)?.payload.input).toEqual({ manifest: 'runs/water/run-7/data.json' });
    expect(execution.output).toMatchObject({
      runId: 'run-7',
      decision: { promoted: true },
      archived: { moved: 3 },
    });
  });

  it('stops in NoNewData without training when nothing arrived', async () => {
    // Prepare
    const { calls, machines } = recorder({ series: async () => ({ ...collected, newReadings: 0 }) });
    // Act
    const execution = await machines.startExecution('retrain', {});
    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    expect(calls.map((c) => c.fn)).toEqual(['series']);
  });

  it('fails as TrainingFailed without deciding or archiving when the fit fails, leaving the champion untouched', async () => {
    // Prepare
    const { calls, machines } = recorder({
      train: async () => {
        throw Object.assign(new Error('every order failed'), { name: 'FitFailed' });
      },
    });
    // Act
    const execution = await machines.startExecution('retrain', {});
    // Assess
    expect(execution).toMatchObject({ status: 'FAILED', error: 'TrainingFailed' });
    expect(calls.map((c) => c.fn)).toEqual(['series', 'train']);
  });

  it('still archives and succeeds when only the report fails', async () => {
    // Prepare
    const { calls, machines } = recorder({
      report: async () => {
        throw new Error('SVG too large');
      },
    });
    // Act
    const execution = await machines.startExecution('retrain', {});
    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    expect(calls.map((c) => c.fn)).toContain('archive');
  });
});

describe('init-model and rollback state machines', () => {
  it('init-model prepares the series from the initial share, trains, decides and reports', async () => {
    // Prepare
    const actions: string[] = [];
    const step =
      (result: unknown): LocalHandler =>
      async (payload) => {
        actions.push(String((payload as { action: string }).action));
        return result;
      };
    const machines = machinesWith({
      series: step({ runId: 'init-1', newReadings: 300, manifestKey: 'runs/water/init-1/data.json' }),
      train: step({ challenger: { version: 'v1' } }),
      promote: step({ promoted: true, reason: 'no champion yet' }),
      report: step({}),
    });
    // Act
    const execution = await machines.startExecution('init-model', {});
    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    expect(actions).toEqual(['init', 'train', 'decide', 'report']);
  });

  it('rollback fails as RollbackFailed, with the reason, when there is no previous champion', async () => {
    // Prepare
    const machines = machinesWith({
      promote: async () => {
        throw Object.assign(new Error('no previous champion to roll back to'), { name: 'RollbackError' });
      },
    });
    // Act
    const execution = await machines.startExecution('rollback', {});
    // Assess
    expect(execution).toMatchObject({ status: 'FAILED', error: 'RollbackFailed' });
    expect(execution.cause).toContain('no previous champion to roll back to');
  });
});
