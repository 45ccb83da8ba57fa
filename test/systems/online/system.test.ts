import { describe, expect, it } from 'vitest';
import { pipelineDefinition } from '../../../lib/config/pipeline-definition.js';
import type { LocalHandler } from '../../../local/state-machine-runner.js';
import { systems } from '../../../systems/index.js';
import { onlineSystem } from '../../../systems/online/system.js';
import { expectRetryLeftToRendererAndDeclaredCatches } from '../../support/asl-declared-errors.js';
import { machinesWith } from '../../support/local-machines.js';

/** The online system beside the others, whether or not systems/index.ts lists it yet. */
const withOnline = [...systems.filter((s) => s.name !== 'online'), onlineSystem];
const named = (name: string, message = name) => Object.assign(new Error(message), { name });

/** The online state machines with stand-in handlers that record what they were given. */
function recorder(handlers: Partial<Record<'online-poller' | 'online-analysis', LocalHandler>>) {
  const calls: Record<string, unknown>[] = [];
  const wrap =
    (handler: LocalHandler | undefined): LocalHandler =>
    async (event) => {
      calls.push(event as Record<string, unknown>);
      if (!handler) throw new Error('not expected to be called');
      return handler(event);
    };
  return {
    calls,
    machines: machinesWith(
      {
        'online-poller': wrap(handlers['online-poller']),
        'online-analysis': wrap(handlers['online-analysis']),
      },
      withOnline,
    ),
  };
}

describe('online system definition', () => {
  it('passes the platform checks: names, ownership, placeholders, least-privilege prefixes', () => {
    // Act
    const definition = pipelineDefinition(withOnline);
    // Assess
    expect(Object.keys(definition.functions)).toEqual(
      expect.arrayContaining([
        'online-source',
        'online-poller',
        'online-learner',
        'online-api',
        'online-analysis',
      ]),
    );
    expect(onlineSystem.models).toEqual([]);
    expect(onlineSystem.dataset).toBeUndefined();
    expect(onlineSystem.stream).toBeUndefined();
  });

  it('keeps one writer per model: one consumer, one batch at a time per shard, partial failures, no bisection', () => {
    // Act
    const [consumer] = onlineSystem.streamConsumers ?? [];
    // Assess
    expect(onlineSystem.streamConsumers).toHaveLength(1);
    expect(consumer).toMatchObject({
      functionKey: 'online-learner',
      parallelizationFactor: 1,
      bisectBatchOnError: false,
      reportBatchItemFailures: true,
      startingPosition: 'TRIM_HORIZON',
    });
    expect(onlineSystem.recordSpec.partitionKey({})).toBe('online');
  });

  it.each([['online-poller', '../../../systems/online/handlers/poller.js']])(
    '%s declares exactly the errors its step handler throws on purpose',
    async (key, module) => {
      // Prepare
      const { handler } = (await import(module)) as {
        handler: { errors: { permanent: string[]; retryable: string[] } };
      };
      // Act
      const declared = onlineSystem.functions[key]?.errors;
      // Assess
      expect([...(declared?.permanent ?? [])].sort()).toEqual([...handler.errors.permanent].sort());
      expect([...(declared?.retryable ?? [])].sort()).toEqual([...handler.errors.retryable].sort());
    },
  );

  it.each(onlineSystem.stateMachines.map((m) => [m.name, m] as const))(
    '%s leaves Retry to the renderer and catches only errors its functions declare',
    (_, machine) => expectRetryLeftToRendererAndDeclaredCatches(machine, pipelineDefinition(withOnline)),
  );

  it('online-poll runs the poller once a minute with the execution as its run id and returns what it sent', async () => {
    // Prepare
    const { calls, machines } = recorder({
      'online-poller': async () => ({ source: 'generator', sent: 30, errors: 0, next: 30, polled: 30 }),
    });
    // Act
    const execution = await machines.startExecution('online-poll', {}, 'poll-1');
    // Assess
    expect(execution.status, execution.cause).toBe('SUCCEEDED');
    expect(calls[0]).toMatchObject({ action: 'poll', input: {}, execution: { name: 'poll-1' } });
    expect(execution.output).toMatchObject({ source: 'generator', sent: 30, errors: 0, next: 30 });
    expect(onlineSystem.stateMachines[0]?.schedule?.expression).toBe('rate(1 minute)');
  });

  it('online-poll fails as InvalidInput, without retrying, when the poller refuses its input', async () => {
    // Prepare
    const { calls, machines } = recorder({
      'online-poller': async () => {
        throw named('InputError', 'sourceUrl must be an absolute http(s) URL');
      },
    });
    // Act
    const execution = await machines.startExecution('online-poll', { sourceUrl: 'x' }, 'poll-2');
    // Assess
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('InvalidInput');
    expect(calls).toHaveLength(1);
  });

  it('online-analysis passes its scheduled time and returns where the report is', async () => {
    // Prepare
    const { calls, machines } = recorder({
      'online-analysis': async () => ({
        records: 1200,
        reportKey: 'reports/online/analysis/2024-03-02/report.json',
      }),
    });
    // Act
    const execution = await machines.startExecution(
      'online-analysis',
      { scheduledTime: '2024-03-02T04:00:00Z' },
      'a-1',
    );
    // Assess
    expect(execution.status, execution.cause).toBe('SUCCEEDED');
    expect(calls[0]).toMatchObject({ action: 'analyse', input: { scheduledTime: '2024-03-02T04:00:00Z' } });
    expect(execution.output).toMatchObject({
      records: 1200,
      reportKey: 'reports/online/analysis/2024-03-02/report.json',
    });
  });
});
