import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Asl, invokedFunction, taskStates } from '../../../lib/config/asl.js';
import { pipelineDefinition } from '../../../lib/config/pipeline-definition.js';
import { REPO_ROOT } from '../../../lib/config/repo-root.js';
import type { LocalHandler } from '../../../local/state-machine-runner.js';
import { sensorsSystem } from '../../../systems/sensors/system.js';
import { machinesWith } from '../../support/local-machines.js';

type FunctionKey = 'sensors-chunks' | 'sensors-features' | 'sensors-cluster' | 'promote' | 'archive';
const named = (name: string, message = name) => Object.assign(new Error(message), { name });

/** The sensors state machines with stand-in handlers that record every call (function, action). */
function recorder(overrides: Partial<Record<FunctionKey, LocalHandler>> = {}) {
  const calls: { fn: FunctionKey; action: string; payload: Record<string, unknown> }[] = [];
  const results: Record<FunctionKey, (payload: Record<string, unknown>) => unknown> = {
    'sensors-chunks': (p) =>
      p.action === 'plan'
        ? {
            runId: 'run-1',
            manifestKey: 'runs/sensors/run-1/data.json',
            objects: 3,
            arrivalDays: ['2024-03-02', '2024-03-03'],
          }
        : p.action === 'chunk'
          ? { eventDays: [(p.input as { arrivalDay: string }).arrivalDay] }
          : { days: ['2024-03-02', '2024-03-03'] },
    'sensors-features': (p) => ({ day: (p.input as { day: string }).day, sensors: 10 }),
    'sensors-cluster': (p) =>
      p.action === 'train'
        ? { pipeline: 'sensors', model: 'clusters', challenger: { version: 'v2' }, days: ['2024-03-02'] }
        : p.action === 'predict'
          ? { modelVersion: 'v1', days: ['2024-03-03'], distribution: { '2024-03-03': { '0': 6, '1': 4 } } }
          : p.action === 'drift'
            ? { drifted: [] }
            : { reportKey: 'reports/sensors/run-1/report.json' },
    promote: () => ({
      promoted: true,
      reason: 'no champion yet; challenger k=3 (silhouette 0.6000) promoted',
      championVersion: 'v2',
      challengerVersion: 'v2',
    }),
    archive: () => ({ moved: 3, alreadyArchived: 0, missing: 0, changed: 0 }),
  };
  const stand =
    (fn: FunctionKey): LocalHandler =>
    async (event) => {
      const payload = event as Record<string, unknown>;
      calls.push({ fn, action: String(payload.action ?? ''), payload });
      const override = overrides[fn];
      return override ? override(event) : results[fn](payload);
    };
  const machines = machinesWith(
    {
      'sensors-chunks': stand('sensors-chunks'),
      'sensors-features': stand('sensors-features'),
      'sensors-cluster': stand('sensors-cluster'),
      promote: stand('promote'),
      archive: stand('archive'),
    },
    [sensorsSystem],
  );
  return { calls, machines, steps: () => calls.map((c) => `${c.fn}:${c.action}`) };
}

describe('sensors-training state machine (systems/sensors/state-machines/training.asl.json)', () => {
  it('chunks, featurizes, trains, lets the promote step decide, then drift, report and archive', async () => {
    // Prepare
    const { calls, machines, steps } = recorder();
    // Act
    const execution = await machines.startExecution('sensors-training', { kMin: 3, kMax: 5 }, 'run-1');
    // Assess
    expect(execution.status, execution.cause).toBe('SUCCEEDED');
    expect(steps()).toEqual([
      'sensors-chunks:plan',
      'sensors-chunks:chunk',
      'sensors-chunks:chunk',
      'sensors-chunks:days',
      'sensors-features:features',
      'sensors-features:features',
      'sensors-cluster:train',
      'promote:decide',
      'sensors-cluster:drift',
      'sensors-cluster:report',
      'archive:move',
    ]);
    // The decide step gets the whole state: the train result it decides on is at $.train.result.
    const decide = calls.find((c) => c.fn === 'promote');
    expect(decide?.payload.input).toMatchObject({
      kMin: 3,
      train: { result: { pipeline: 'sensors', model: 'clusters', challenger: { version: 'v2' } } },
    });
    // The report sees the decision; the archive moves exactly what the plan listed.
    const report = calls.find((c) => c.action === 'report');
    expect(report?.payload.input).toMatchObject({ decision: { result: { promoted: true } } });
    expect(calls.at(-1)?.payload.input).toEqual({ manifest: 'runs/sensors/run-1/data.json' });
    expect(execution.output).toEqual({
      runId: 'run-1',
      days: ['2024-03-02', '2024-03-03'],
      promoted: true,
      reason: 'no champion yet; challenger k=3 (silhouette 0.6000) promoted',
      championVersion: 'v2',
      challengerVersion: 'v2',
      archived: { moved: 3, alreadyArchived: 0, missing: 0, changed: 0 },
    });
  });

  it('stops in NoNewData without chunking or training when nothing arrived', async () => {
    // Prepare
    const { machines, steps } = recorder({
      'sensors-chunks': async () => ({ runId: 'run-2', manifestKey: 'm', objects: 0, arrivalDays: [] }),
    });
    // Act
    const execution = await machines.startExecution('sensors-training', {});
    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    expect(steps()).toEqual(['sensors-chunks:plan']);
  });

  it('fails as TrainingFailed without deciding or archiving when the fit fails, and does not retry it', async () => {
    // Prepare
    const { machines, steps } = recorder({
      'sensors-cluster': async () => {
        throw named('FitFailed', 'kMax = 5 needs at least 6 points, got 4');
      },
    });
    // Act
    const execution = await machines.startExecution('sensors-training', {});
    // Assess
    expect(execution).toMatchObject({ status: 'FAILED', error: 'TrainingFailed' });
    expect(steps().filter((s) => s === 'sensors-cluster:train')).toHaveLength(1);
    expect(steps()).not.toContain('promote:decide');
    expect(steps()).not.toContain('archive:move');
  });

  it('retries an unexpected training error twice before failing as TrainingFailed', async () => {
    // Prepare
    const { machines, steps } = recorder({
      'sensors-cluster': async () => {
        throw new Error('S3 timed out');
      },
    });
    // Act
    const execution = await machines.startExecution('sensors-training', {});
    // Assess
    expect(execution).toMatchObject({ status: 'FAILED', error: 'TrainingFailed' });
    expect(steps().filter((s) => s === 'sensors-cluster:train')).toHaveLength(3);
  });

  it('reports bad input as InvalidInput before training', async () => {
    // Prepare
    const { machines, steps } = recorder({
      'sensors-cluster': async () => {
        throw named('InputError', 'kMin must be a whole number from 2 to 20, got 1');
      },
    });
    // Act
    const execution = await machines.startExecution('sensors-training', { kMin: 1 });
    // Assess
    expect(execution).toMatchObject({ status: 'FAILED', error: 'InvalidInput' });
    expect(steps().filter((s) => s === 'sensors-cluster:train')).toHaveLength(1);
  });

  it('retries a chunk merge that lost a conditional write and goes on', async () => {
    // Prepare: the first chunk attempt loses to another Map iteration
    let lost = false;
    const { machines, steps } = recorder({
      'sensors-chunks': async (event) => {
        const p = event as { action: string; input: { arrivalDay?: string; results?: unknown } };
        if (p.action === 'plan')
          return { runId: 'r', manifestKey: 'm', objects: 1, arrivalDays: ['2024-03-02'] };
        if (p.action === 'chunk' && !lost) {
          lost = true;
          throw named('PreconditionFailedError');
        }
        return p.action === 'chunk' ? { eventDays: ['2024-03-02'] } : { days: ['2024-03-02'] };
      },
    });
    // Act
    const execution = await machines.startExecution('sensors-training', {});
    // Assess
    expect(execution.status, execution.cause).toBe('SUCCEEDED');
    expect(steps()).toContain('promote:decide');
  });

  it('keeps the champion and archives nothing when the decision fails (PromotionFailed)', async () => {
    // Prepare
    const { machines, steps } = recorder({
      promote: async () => {
        throw named('RegistryError', 'version v2 is incomplete');
      },
    });
    // Act
    const execution = await machines.startExecution('sensors-training', {});
    // Assess
    expect(execution).toMatchObject({ status: 'FAILED', error: 'PromotionFailed' });
    expect(steps()).not.toContain('archive:move');
  });

  it('still archives and succeeds when only the drift comparison or the report fails', async () => {
    // Prepare
    const { machines, steps } = recorder({
      'sensors-cluster': async (event) => {
        const { action } = event as { action: string };
        if (action === 'drift' || action === 'report') throw new Error(`${action} broke`);
        return { pipeline: 'sensors', model: 'clusters', challenger: { version: 'v2' } };
      },
    });
    // Act
    const execution = await machines.startExecution('sensors-training', {});
    // Assess
    expect(execution.status, execution.cause).toBe('SUCCEEDED');
    expect(steps().at(-1)).toBe('archive:move');
  });
});

describe('sensors-inference state machine (systems/sensors/state-machines/inference.asl.json)', () => {
  it('assigns, compares drift and reports, returning the model version and the distribution', async () => {
    // Prepare
    const { machines, steps } = recorder();
    // Act
    const execution = await machines.startExecution('sensors-inference', { lastDays: 1 });
    // Assess
    expect(execution.status, execution.cause).toBe('SUCCEEDED');
    expect(steps()).toEqual(['sensors-cluster:predict', 'sensors-cluster:drift', 'sensors-cluster:report']);
    expect(execution.output).toEqual({
      modelVersion: 'v1',
      distribution: { '2024-03-03': { '0': 6, '1': 4 } },
    });
  });

  it('fails as InvalidInput, without retrying, when there is no champion yet', async () => {
    // Prepare
    const { machines, steps } = recorder({
      'sensors-cluster': async () => {
        throw named(
          'InputError',
          'no champion clustering model yet: run the sensors-training state machine first',
        );
      },
    });
    // Act
    const execution = await machines.startExecution('sensors-inference', {});
    // Assess
    expect(execution).toMatchObject({ status: 'FAILED', error: 'InvalidInput' });
    expect(steps()).toEqual(['sensors-cluster:predict']);
  });
});

describe('sensors ASL files', () => {
  const definition = pipelineDefinition([sensorsSystem]);
  const machines = definition.stateMachines.filter(
    (m) => m.name.startsWith('sensors-') && m.aslFile.startsWith('systems/'),
  );

  it.each(machines.map((m) => [m.name, m] as const))(
    '%s leaves Retry to the renderer and catches only errors its functions declare',
    (_name, machine) => {
      // Prepare
      const asl = JSON.parse(readFileSync(path.join(REPO_ROOT, machine.aslFile), 'utf8')) as Asl;
      // Act
      const tasks = taskStates(asl.States).map(([state, task]) => {
        const key = invokedFunction(machine, task) ?? '';
        const fn = definition.functions[key];
        const declared = [...(fn?.errors?.permanent ?? []), ...(fn?.errors?.retryable ?? [])];
        const caught = (task.Catch ?? []).flatMap((c) => c.ErrorEquals);
        return {
          state,
          key,
          hasRetry: task.Retry !== undefined,
          undeclared: caught.filter((e) => !e.startsWith('States.') && !declared.includes(e)),
        };
      });
      // Assess
      expect(tasks.length).toBeGreaterThan(0);
      for (const task of tasks) {
        expect(task.key, `${task.state} invokes a known function`).not.toBe('');
        expect(task.hasRetry, `${task.state} has a hand-written Retry`).toBe(false);
        expect(task.undeclared, `${task.state} catches errors ${task.key} does not declare`).toEqual([]);
      }
    },
  );
});

describe('sensors step handlers', () => {
  it.each([
    ['sensors-chunks', () => import('../../../systems/sensors/handlers/chunks.js')],
    ['sensors-features', () => import('../../../systems/sensors/handlers/features.js')],
    ['sensors-cluster', () => import('../../../systems/sensors/handlers/cluster.js')],
  ] as const)(
    '%s raises exactly the errors system.ts declares for it (the Retry policies are built from those)',
    async (key, load) => {
      // Act
      const { handler } = await load();
      // Assess
      const declared = sensorsSystem.functions[key]?.errors;
      expect(handler.errors).toEqual({
        permanent: declared?.permanent ?? [],
        retryable: declared?.retryable ?? [],
      });
    },
  );
});
