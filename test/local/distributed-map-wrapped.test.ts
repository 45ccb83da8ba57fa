import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalRuntime } from '../../local/local-runtime.js';
import { fanoutSystem } from '../fixtures/systems/fanout/system.js';

// Its own file: the fixture's handlers create their S3 client when first imported, so a second
// runtime in the same file would find them talking to the first one's (stopped) emulator.
describe('Distributed Map with wrapped handlers (in this thread)', () => {
  let runtime: LocalRuntime;
  let dataDir: string;
  let inFlight = 0;
  let mostAtOnce = 0;
  const threads = new Set<number>();

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'smlp-dmap-wrapped-'));
    runtime = await LocalRuntime.start({
      dataDir,
      systems: [fanoutSystem],
      shardCount: 1,
      wrapHandler: (key, handler) => async (event) => {
        if (key !== 'fanout-work') return handler(event);
        inFlight++;
        mostAtOnce = Math.max(mostAtOnce, inFlight);
        try {
          const output = (await handler(event)) as { threadId: number };
          threads.add(output.threadId);
          return output;
        } finally {
          inFlight--;
        }
      },
    });
  });
  afterAll(async () => {
    await runtime?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs children through the wrapped handlers, never more at once than MaxConcurrency', async () => {
    // Prepare: 12 items in 4 batches, at most 2 at once
    const input = { runId: 'bounded', items: 12, maxConcurrency: 2 };

    // Act
    const record = await runtime.stateMachines.startExecution('fanout-run', input);

    // Assess
    expect(record.status, record.cause).toBe('SUCCEEDED');
    expect(record.mapRuns?.[0]?.itemCounts).toMatchObject({ total: 12, succeeded: 12 });
    expect(mostAtOnce).toBeGreaterThanOrEqual(1);
    expect(mostAtOnce).toBeLessThanOrEqual(2);
    expect([...threads]).toEqual([0]);
    expect(runtime.stateMachines.workerThreadIds).toEqual([]);
  });
});
