import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listKeys } from '../../local/inspect-data.js';
import type { EventSourceActivity } from '../../local/kinesis-event-source.js';
import { LocalRuntime } from '../../local/local-runtime.js';

/**
 * Ingest remembers where it got to on each shard, as Lambda's event source mapping does: a
 * runtime started again on the same data directory resumes after the last batch it handled
 * instead of reading the whole stream again. (Its own file: handler modules, and their SDK
 * clients, are loaded once per test file.)
 */
const runtimes: LocalRuntime[] = [];
let dataDir = '';
afterAll(async () => {
  await Promise.allSettled(runtimes.map((runtime) => runtime.stop()));
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('a runtime started again on the same data', () => {
  it('resumes ingest after its checkpoints: nothing already ingested is delivered again', async () => {
    // Prepare: records produced and ingested, then the runtime stops
    dataDir = mkdtempSync(path.join(tmpdir(), 'smlp-checkpoint-'));
    const first = await LocalRuntime.start({ dataDir, shardCount: 2, pollIntervalMs: 50 });
    runtimes.push(first);
    const producer = first.handlers.get('producer');
    if (!producer) throw new Error('no producer');
    await producer({ pipeline: 'water', batchSize: 300, numBatches: 1 });
    await first.eventSource.waitUntilIdle(60_000);
    const rawBefore = await listKeys(first.s3, first.names.dataBucket, 'raw/');
    await first.stop();
    runtimes.pop();

    // Act: a new runtime on the same data directory, counting what its event source delivers
    const delivered: number[] = [];
    const again = await LocalRuntime.start({
      dataDir,
      shardCount: 2,
      pollIntervalMs: 50,
      activity: (activity: EventSourceActivity) => {
        if (activity.type === 'batch') delivered.push(activity.records);
      },
    });
    runtimes.push(again);
    await again.eventSource.waitUntilIdle(60_000);

    // Assess: the stream (kept on disk) still holds the records, yet none is delivered again
    const checkpoints = JSON.parse(readFileSync(path.join(dataDir, 'event-source', 'ingest.json'), 'utf8'));
    expect(Object.keys(checkpoints).length).toBeGreaterThan(0);
    expect(rawBefore.length).toBeGreaterThan(0);
    expect(delivered).toEqual([]);
    expect(await listKeys(again.s3, again.names.dataBucket, 'raw/')).toEqual(rawBefore);
  }, 180_000);
});
