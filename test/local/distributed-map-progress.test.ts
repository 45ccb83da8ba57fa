import { describe, expect, it } from 'vitest';
import { mapRunLine } from '../../local/cli/run-digest.js';

describe("npm start's line for a Distributed Map run", () => {
  it('counts finished items of all items, and failed ones when there are any', () => {
    // Prepare
    const running = {
      stateName: 'TrainStores',
      status: 'RUNNING',
      itemCounts: { total: 1115, succeeded: 448, failed: 2 },
    };
    const clean = {
      stateName: 'TrainStores',
      status: 'RUNNING',
      itemCounts: { total: 1115, succeeded: 25, failed: 0 },
    };
    const ended = {
      stateName: 'TrainStores',
      status: 'SUCCEEDED',
      itemCounts: { total: 1115, succeeded: 1113, failed: 2 },
    };

    // Act / Assess
    expect(mapRunLine(running)).toBe('TrainStores: 450/1,115 items, 2 failed');
    expect(mapRunLine(clean)).toBe('TrainStores: 25/1,115 items');
    expect(mapRunLine(ended)).toBe('TrainStores: 1,115/1,115 items, 2 failed (succeeded)');
  });
});
