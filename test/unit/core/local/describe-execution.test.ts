import { describe, expect, it } from 'vitest';
import { describeExecution } from '../../../../local/cli/describe-execution.js';
import type { ExecutionRecord } from '../../../../local/state-machine-runner.js';

const succeeded = (output: unknown): ExecutionRecord => ({
  executionName: 'water-stream-1',
  stateMachine: 'water-stream',
  status: 'SUCCEEDED',
  startDate: '2026-11-30T00:00:00Z',
  input: {},
  output,
  taskErrors: [],
});

describe("npm start's line for a finished execution", () => {
  it('says a producer run sent nothing because another run holds the cursor, and which', () => {
    // Act
    const line = describeExecution(
      'water-stream',
      succeeded({
        produced: 0,
        skipped: 'run water-stream-7 is sending rows 60–120',
        cursor: { offset: 60, total: 900 },
      }),
    );
    // Assess
    expect(line).toBe('nothing sent: run water-stream-7 is sending rows 60–120');
  });

  it('counts the rows of an interrupted run that were found on the stream and not sent again', () => {
    // Act
    const line = describeExecution(
      'water-stream',
      succeeded({ produced: 40, alreadySent: 160, cursor: { offset: 400, total: 900 } }),
    );
    const plain = describeExecution(
      'water-stream',
      succeeded({ produced: 200, alreadySent: 0, cursor: { offset: 600, total: 900 } }),
    );
    // Assess
    expect(line).toBe(
      "40 records sent (cursor 400/900); 160 rows of an interrupted run's slice were already on the stream, not sent again",
    );
    expect(plain).toBe('200 records sent (cursor 600/900)');
  });
});
