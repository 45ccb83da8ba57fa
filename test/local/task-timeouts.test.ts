import { describe, expect, it } from 'vitest';
import { withExecutionLongTaskTimeouts } from '../../local/task-timeouts.js';

describe('Task timeouts the local engine runs with', () => {
  it('gives every Task without a timeout the execution’s, nested ones included, as AWS lets it run', () => {
    // Prepare: AWS's default for a Task is 99,999,999 s; the engine's own default would be 60 s
    const asl = {
      StartAt: 'Train',
      TimeoutSeconds: 7200,
      States: {
        Train: { Type: 'Task', Next: 'Fan' },
        Quick: { Type: 'Task', TimeoutSeconds: 30, End: true },
        ByPath: { Type: 'Task', TimeoutSecondsPath: '$.limit', End: true },
        Fan: {
          Type: 'Map',
          ItemProcessor: { StartAt: 'Each', States: { Each: { Type: 'Task', End: true } } },
          End: true,
        },
        Both: {
          Type: 'Parallel',
          Branches: [{ StartAt: 'Left', States: { Left: { Type: 'Task', End: true } } }],
          End: true,
        },
      },
    };
    // Act
    const engine = withExecutionLongTaskTimeouts(asl, 7200);
    // Assess
    expect(engine.States.Train).toMatchObject({ TimeoutSeconds: 7200 });
    expect(engine.States.Quick).toMatchObject({ TimeoutSeconds: 30 });
    expect(engine.States.ByPath).not.toHaveProperty('TimeoutSeconds');
    expect(engine.States.Fan.ItemProcessor?.States.Each).toMatchObject({ TimeoutSeconds: 7200 });
    expect(engine.States.Both.Branches?.[0]?.States.Left).toMatchObject({ TimeoutSeconds: 7200 });
    // The definition AWS sees is left as it was.
    expect(asl.States.Train).not.toHaveProperty('TimeoutSeconds');
    expect(asl.States.Fan.ItemProcessor.States.Each).not.toHaveProperty('TimeoutSeconds');
  });
});
