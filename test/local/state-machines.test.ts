import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/data/input-fields.js';
import { pipelineDefinition } from '../../lib/config/pipeline-definition.js';
import { REPO_ROOT } from '../../lib/config/repo-root.js';
import { LocalStateMachines } from '../../local/state-machine-runner.js';
import { systems } from '../../systems/index.js';
import { arnOf, machinesWith } from '../support/local-machines.js';

/** The platform's ASL files, run locally with stand-in handlers: the state machines' own logic. */
const transient = () =>
  Object.assign(new Error('Rate exceeded'), { name: 'ProvisionedThroughputExceededException' });

describe("a system's stream state machine (state-machines/stream.asl.json)", () => {
  it('passes the console input, its bound system and the execution name to the producer and ends in Produced', async () => {
    // Prepare
    const payloads: unknown[] = [];
    const machines = machinesWith({
      producer: async (payload) => {
        payloads.push(payload);
        return { produced: 600, noNewData: false };
      },
    });
    // Act
    const execution = await machines.startExecution('sensors-stream', {}, 'hourly-1');
    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.output).toEqual({ produced: 600, noNewData: false });
    expect(payloads).toEqual([
      {
        input: {},
        pipeline: 'sensors',
        execution: { name: 'hourly-1', startTime: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) },
      },
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
    const execution = await machines.startExecution('sensors-stream', {});
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
    const execution = await machines.startExecution('sensors-stream', { batchSize: 0 });
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
    const execution = await machines.startExecution('sensors-stream', {});
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
          definition: pipelineDefinition(systems),
          functionArn: arnOf,
          handlers: new Map(),
        }),
    ).toThrow(
      /Task "\w+" .* has no local binding; only lambda:invoke of the project.s functions runs locally/,
    );
  });
});

describe('rollback state machine', () => {
  it('rollback fails as RollbackFailed, with the reason, when there is no previous champion', async () => {
    // Prepare
    const machines = machinesWith({
      rollback: async () => {
        throw Object.assign(new Error('no previous champion to roll back to'), { name: 'RollbackError' });
      },
    });
    // Act
    const execution = await machines.startExecution('rollback', { pipeline: 'sensors' });
    // Assess
    expect(execution).toMatchObject({ status: 'FAILED', error: 'RollbackFailed' });
    expect(execution.cause).toContain('no previous champion to roll back to');
  });
});

describe('promote state machine (state-machines/promote.asl.json)', () => {
  it('promotes the given version through the promote function and returns its answer', async () => {
    // Prepare
    const payloads: Record<string, unknown>[] = [];
    const machines = machinesWith({
      promote: async (payload) => {
        payloads.push(payload as Record<string, unknown>);
        return { pipeline: 'water', model: 'forecast', promoted: true, championVersion: 'v2' };
      },
    });
    const input = { pipeline: 'water', version: '20240301T120000Z-a1b2c3', reason: 'checked by hand' };
    // Act
    const execution = await machines.startExecution('promote', input);
    // Assess
    expect(execution).toMatchObject({
      status: 'SUCCEEDED',
      output: { promoted: true, championVersion: 'v2' },
    });
    expect(payloads).toEqual([expect.objectContaining({ action: 'promote', input })]);
  });

  it('fails as PromotionFailed, without retrying, when the registry refuses the version', async () => {
    // Prepare
    let calls = 0;
    const machines = machinesWith({
      promote: async () => {
        calls++;
        throw Object.assign(new Error('version 20240301T120000Z-a1b2c3 is incomplete'), {
          name: 'RegistryError',
        });
      },
    });
    // Act
    const execution = await machines.startExecution('promote', {
      pipeline: 'water',
      version: 'x',
      reason: 'y',
    });
    // Assess
    expect(calls).toBe(1);
    expect(execution).toMatchObject({ status: 'FAILED', error: 'PromotionFailed' });
    expect(execution.cause).toContain('is incomplete');
  });
});
