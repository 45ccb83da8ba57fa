import { describe, expect, it } from 'vitest';
import { PreconditionFailedError } from '../../../core/registry/object-store.js';
import type { LocalHandler } from '../../../local/state-machine-runner.js';
import { machinesWith } from '../../support/local-machines.js';

type WaterRetrainFunction = 'water-series' | 'water-train' | 'promote' | 'water-report' | 'archive';

describe('water-retrain state machine (systems/water/state-machines/retrain.asl.json)', () => {
  const collected = {
    runId: 'run-7',
    newReadings: 120,
    rawObjects: 3,
    manifestKey: 'runs/water/run-7/data.json',
  };
  const challenger = { version: 'v2', label: '(1,0,1)(1,1,1)24', metrics: { aic: -10, holdoutMae: 0.1 } };

  function recorder(overrides: Partial<Record<WaterRetrainFunction, LocalHandler>> = {}) {
    const calls: { fn: string; payload: Record<string, unknown> }[] = [];
    const record =
      (fn: WaterRetrainFunction, result: unknown): LocalHandler =>
      async (payload) => {
        calls.push({ fn, payload: payload as Record<string, unknown> });
        const override = overrides[fn];
        return override ? override(payload) : result;
      };
    const machines = machinesWith({
      'water-series': record('water-series', collected),
      'water-train': record('water-train', {
        pipeline: 'water',
        model: 'forecast',
        runId: 'run-7',
        challenger,
      }),
      promote: record('promote', { promoted: true, reason: 'better', championVersion: 'v2' }),
      'water-report': record('water-report', { reportKey: 'reports/water/run-7/report.json' }),
      archive: record('archive', { moved: 3, alreadyArchived: 0, missing: 0, changed: 0 }),
    });
    return { calls, machines };
  }

  it('collects, trains, decides, reports and archives exactly the data the run consumed', async () => {
    // Prepare
    const { calls, machines } = recorder();
    // Act
    const execution = await machines.startExecution('water-retrain', {});
    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    expect(calls.map((c) => `${c.fn}:${c.payload.action}`)).toEqual([
      'water-series:collect',
      'water-train:train',
      'promote:decide',
      'water-report:report',
      'archive:move',
    ]);
    // The promote step reads the train step's result from the whole state.
    expect(calls[2]?.payload.input).toMatchObject({ train: { result: { challenger } } });
    expect(calls.at(-1)?.payload.input).toEqual({ manifest: 'runs/water/run-7/data.json' });
    expect(execution.output).toMatchObject({
      runId: 'run-7',
      decision: { promoted: true },
      challenger,
      archived: { moved: 3 },
    });
  });

  it('stops in NoNewData without training when nothing arrived', async () => {
    // Prepare
    const { calls, machines } = recorder({
      'water-series': async () => ({ ...collected, newReadings: 0, rawObjects: 0 }),
    });
    // Act
    const execution = await machines.startExecution('water-retrain', {});
    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    expect(calls.map((c) => c.fn)).toEqual(['water-series']);
  });

  it('archives raw objects a failed run had merged, without training, when nothing new arrived', async () => {
    // Prepare: the series already counts every reading of the 4 raw objects still in raw/
    const { calls, machines } = recorder({
      'water-series': async () => ({ ...collected, newReadings: 0, rawObjects: 4 }),
    });
    // Act
    const execution = await machines.startExecution('water-retrain', {});
    // Assess: no training, no decision; the leftovers are moved by the run's manifest
    expect(execution.status).toBe('SUCCEEDED');
    expect(calls.map((c) => `${c.fn}:${c.payload.action}`)).toEqual(['water-series:collect', 'archive:move']);
    expect(calls.at(-1)?.payload.input).toEqual({ manifest: 'runs/water/run-7/data.json' });
  });

  it('merges again when another run saved the series first (a retryable error), then goes on', async () => {
    // Prepare
    let attempts = 0;
    const { calls, machines } = recorder({
      'water-series': async () => {
        attempts++;
        if (attempts === 1)
          throw new PreconditionFailedError('datasets/water/hourly-buckets.json', 'If-Match');
        return collected;
      },
    });
    // Act
    const execution = await machines.startExecution('water-retrain', {});
    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    expect(calls.map((c) => c.fn)).toEqual([
      'water-series',
      'water-series',
      'water-train',
      'promote',
      'water-report',
      'archive',
    ]);
  });

  it('fails as TrainingFailed without retrying, deciding or archiving when the fit fails, leaving the champion untouched', async () => {
    // Prepare
    const { calls, machines } = recorder({
      'water-train': async () => {
        throw Object.assign(new Error('every order failed'), { name: 'FitFailed' });
      },
    });
    // Act
    const execution = await machines.startExecution('water-retrain', {});
    // Assess
    expect(execution).toMatchObject({ status: 'FAILED', error: 'TrainingFailed' });
    expect(calls.map((c) => c.fn)).toEqual(['water-series', 'water-train']);
  });

  it('fails as InvalidInput at once when the input is rejected', async () => {
    // Prepare
    const { calls, machines } = recorder({
      'water-series': async () => {
        throw Object.assign(new Error('holdoutHours must be a whole number from 1 to 336, got 0'), {
          name: 'InputError',
        });
      },
    });
    // Act
    const execution = await machines.startExecution('water-retrain', { holdoutHours: 0 });
    // Assess
    expect(execution).toMatchObject({ status: 'FAILED', error: 'InvalidInput' });
    expect(calls.map((c) => c.fn)).toEqual(['water-series']);
  });

  it('still archives and succeeds when only the report fails', async () => {
    // Prepare
    const { calls, machines } = recorder({
      'water-report': async () => {
        throw new Error('SVG too large');
      },
    });
    // Act
    const execution = await machines.startExecution('water-retrain', {});
    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    expect(calls.map((c) => c.fn)).toContain('archive');
  });
});

describe('water-init-model state machine (systems/water/state-machines/init-model.asl.json)', () => {
  it('prepares the series from the initial share, trains, decides and reports', async () => {
    // Prepare
    const actions: string[] = [];
    const step =
      (fn: string, result: unknown): LocalHandler =>
      async (payload) => {
        actions.push(`${fn}:${(payload as { action: string }).action}`);
        return result;
      };
    const machines = machinesWith({
      'water-series': step('water-series', {
        runId: 'init-1',
        newReadings: 300,
        manifestKey: 'runs/water/init-1/data.json',
      }),
      'water-train': step('water-train', { challenger: { version: 'v1' } }),
      promote: step('promote', { promoted: true, reason: 'no champion yet' }),
      'water-report': step('water-report', {}),
    });
    // Act
    const execution = await machines.startExecution('water-init-model', {});
    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    expect(actions).toEqual([
      'water-series:init',
      'water-train:train',
      'promote:decide',
      'water-report:report',
    ]);
    expect(execution.output).toMatchObject({ runId: 'init-1', decision: { promoted: true } });
  });
});
