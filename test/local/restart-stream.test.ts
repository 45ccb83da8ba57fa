import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { readNdjsonUnder } from '../../local/inspect-data.js';
import { LocalRuntime } from '../../local/local-runtime.js';

/**
 * The local stream survives its emulator being killed: records the producer had sent and nobody
 * ingested yet are still there when the runtime starts again on the same data directory. (Its
 * own file: handler modules, and their SDK clients, are loaded once per test file.)
 */
const dirs: string[] = [];
const runtimes: LocalRuntime[] = [];
/** One runtime per process at a time: the handlers' SDK clients follow the newest emulators. */
afterEach(async () => {
  await Promise.allSettled(runtimes.splice(0).map((runtime) => runtime.stop()));
});
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('a killed stream emulator, started again', () => {
  it('keeps the records nobody ingested yet: the stream itself survives the kill', async () => {
    // Prepare: ingest is behind (its poller stopped) while the producer sends two systems' records
    const dataDir = mkdtempSync(path.join(tmpdir(), 'smlp-restart-'));
    dirs.push(dataDir);
    const first = await LocalRuntime.start({ dataDir, shardCount: 2, pollIntervalMs: 50 });
    runtimes.push(first);
    await first.eventSource.stop();
    const producer = first.handlers.get('producer');
    if (!producer) throw new Error('no producer');
    const sent: Record<string, number> = {};
    for (const pipeline of ['water', 'sensors']) {
      const result = (await producer({ pipeline, batchSize: 300, numBatches: 1 })) as { produced: number };
      sent[pipeline] = result.produced;
    }
    // Longer than the emulator's persistence interval: the records are accepted and on disk.
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    // Act: the emulators die with no chance to clean up; a new runtime starts on the same data
    const emulators = first.emulators.flatMap((service) =>
      execFileSync('ps', ['-o', 'pid=', '--ppid', String(service.pid)], { encoding: 'utf8' })
        .trim()
        .split(/\s+/)
        .filter(Boolean)
        .map(Number),
    );
    for (const pid of emulators) process.kill(pid, 'SIGKILL');
    await first.stop();
    const restarted = await LocalRuntime.start({ dataDir, shardCount: 2, pollIntervalMs: 50 });
    runtimes.push(restarted);
    await restarted.eventSource.waitUntilIdle(120_000);

    // Assess: every record sent is in raw/ or quarantine/ of its system, none twice
    for (const pipeline of ['water', 'sensors']) {
      const raw = await readNdjsonUnder(restarted.s3, restarted.names.dataBucket, `raw/${pipeline}/`);
      const quarantined = await readNdjsonUnder(
        restarted.s3,
        restarted.names.dataBucket,
        `quarantine/${pipeline}/`,
      );
      expect(raw.length + quarantined.length, pipeline).toBe(sent[pipeline]);
    }
  }, 300_000);
});
