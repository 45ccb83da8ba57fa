import { expect } from 'vitest';
import type { IngestRun, QuarantineEntry, StreamRecord } from '../../../../core/streaming/ingest-plan.js';

/**
 * Nothing is dropped or doubled: the runs' sequence numbers are the batch's, in order; each run
 * accounts for every one of its records exactly once, as a raw record or a quarantine entry.
 */
export function expectNothingDropped(records: readonly StreamRecord[], runs: readonly IngestRun[]): void {
  expect(runs.flatMap((run) => run.sequenceNumbers)).toEqual(records.map((record) => record.sequenceNumber));
  for (const run of runs) {
    expect(run.sequenceNumbers[0]).toBe(run.firstSequenceNumber);
    const quarantined = run.quarantines.flatMap((q) => q.entries).map((entry) => entry.sequenceNumber);
    expect(new Set(quarantined).size).toBe(quarantined.length);
    for (const sequenceNumber of quarantined) expect(run.sequenceNumbers).toContain(sequenceNumber);
    expect((run.raw?.records.length ?? 0) + quarantined.length).toBe(run.sequenceNumbers.length);
  }
}

/** The only quarantine entry of a one-record batch (fails the test if there is not exactly one). */
export function onlyQuarantineEntry(runs: readonly IngestRun[]): QuarantineEntry {
  expect(runs).toHaveLength(1);
  const entries = runs[0]?.quarantines[0]?.entries ?? [];
  expect(entries).toHaveLength(1);
  expect(runs[0]?.raw).toBeUndefined();
  const entry = entries[0];
  if (!entry) throw new Error('expected one quarantine entry');
  return entry;
}
