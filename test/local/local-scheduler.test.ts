import { describe, expect, it } from 'vitest';
import { pipelineDefinition } from '../../lib/config/pipeline-definition.js';
import { SCHEDULED_TIME, type StateMachineDefinition } from '../../lib/config/system-definition.js';
import { LocalScheduler } from '../../local/local-scheduler.js';
import { systems } from '../../systems/index.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('local scheduler', () => {
  it('fires the definitions’ schedules at their simulated times with the scheduled time in the input', async () => {
    // Prepare: 1 simulated hour every 50 ms.
    const fired: { machine: string; input: unknown }[] = [];
    const scheduler = new LocalScheduler({
      definitions: pipelineDefinition(systems).stateMachines,
      start: new Date('2024-01-01T00:30:00Z'),
      speed: 72_000,
      tickMs: 5,
      fire: async (machine, input) => {
        fired.push({ machine, input });
      },
    });
    // Act
    scheduler.start();
    await sleep(260);
    await scheduler.stop();
    // Assess: hourly stream fires at 01:00, 02:00, …; its input is the definition's with the time filled in.
    const stream = fired.filter((f) => f.machine === 'water-stream');
    expect(stream.length).toBeGreaterThanOrEqual(4);
    expect(stream.slice(0, 3).map((f) => (f.input as { scheduledTime: string }).scheduledTime)).toEqual([
      '2024-01-01T01:00:00.000Z',
      '2024-01-01T02:00:00.000Z',
      '2024-01-01T03:00:00.000Z',
    ]);
    expect(JSON.stringify(fired)).not.toContain(SCHEDULED_TIME);
    // The system is bound by the state machine itself (its ASL passes it to the producer).
    expect(stream[0]?.input).toEqual({ scheduledTime: '2024-01-01T01:00:00.000Z' });
  });

  it('skips a fire while the previous execution of the same schedule is still running', async () => {
    // Prepare
    const definition: StateMachineDefinition = {
      name: 'slow',
      aslFile: 'unused',
      functionPlaceholders: {},
      schedule: { expression: 'rate(1 minute)', description: 'test', input: {} },
    };
    let running = 0;
    let maxRunning = 0;
    const skipped: Date[] = [];
    const scheduler = new LocalScheduler({
      definitions: [definition],
      start: new Date('2024-01-01T00:00:30Z'),
      speed: 6_000,
      tickMs: 2,
      skipped: (_, at) => skipped.push(at),
      fire: async () => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        await sleep(50);
        running--;
      },
    });
    // Act
    scheduler.start();
    await sleep(120);
    await scheduler.stop();
    // Assess
    expect(maxRunning).toBe(1);
    expect(skipped.length).toBeGreaterThan(0);
  });
});
