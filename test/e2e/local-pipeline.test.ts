import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitInitialShare } from '../../core/streaming/replay.js';
import { listKeys, readNdjsonUnder } from '../../local/inspect-data.js';
import { LocalRuntime } from '../../local/local-runtime.js';
import { generateWaterReadings } from '../../systems/water/records/generator.js';
import { failCommand, slowDown } from '../support/faults.js';

/**
 * The whole data path on this machine: generated stream → Kinesis emulator → event source →
 * ingest → raw/ and quarantine/ → archive, run by the same ASL and handlers the stacks deploy.
 */
let runtime: LocalRuntime;
let dataDir: string;

// 6 days × 3 meters, with a high malformed rate so every kind of defect shows up.
const generator = {
  seed: 11,
  start: '2024-03-01T00:00:00Z',
  hours: 6 * 24,
  zones: 1,
  metersPerZone: 3,
  missingRate: 0.01,
  malformedRate: 0.05,
};
const source = {
  kind: 'generated',
  seed: 11,
  start: generator.start,
  days: 6,
  zones: 1,
  metersPerZone: 3,
  missingRate: 0.01,
  malformedRate: 0.05,
};
const expectedRows = splitInitialShare(generateWaterReadings(generator), 0.2).stream;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'smlp-e2e-'));
  runtime = await LocalRuntime.start({ dataDir, shardCount: 2, pollIntervalMs: 50 });
});
afterAll(async () => {
  await runtime?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('local pipeline end to end', () => {
  it('puts every produced record in raw/ exactly once or in quarantine/ with its reason, then archives raw/', async () => {
    // Prepare: the first two raw writes fail, as a throttled S3 would; the event source must retry.
    const ingest = await import('../../lambdas/ingest/index.js');
    const fault = failCommand(
      ingest.s3,
      'PutObjectCommand',
      (call, input) => call <= 2 && String(input.Key).startsWith('raw/'),
      slowDown,
    );

    // Act: stream in scheduled-sized slices until the data set is exhausted.
    const executions = [];
    for (let i = 0; i < 20; i++) {
      const execution = await runtime.stateMachines.startExecution('water-stream', {
        source,
        batchSize: 100,
        numBatches: 2,
      });
      executions.push(execution);
      if ((execution.output as { noNewData?: boolean })?.noNewData) break;
    }
    await runtime.eventSource.waitUntilIdle(60_000);
    fault.remove();

    // Assess: executions and the fault both happened.
    expect(executions.every((e) => e.status === 'SUCCEEDED')).toBe(true);
    expect(executions.at(-1)?.output).toMatchObject({ noNewData: true });
    expect(fault.calls()).toBeGreaterThan(2);
    expect(runtime.onFailure).toEqual([]);

    // Assess: each valid row exactly once in raw/, each malformed row in quarantine/ with a reason.
    const { dataBucket } = runtime.names;
    const raw = (await readNdjsonUnder<Record<string, unknown>>(runtime.s3, dataBucket, 'raw/water/')).map(
      (r) => r.row,
    );
    const quarantined = (
      await readNdjsonUnder<{ reason: string; text: string }>(runtime.s3, dataBucket, 'quarantine/')
    ).map((r) => r.row);
    const validRows = expectedRows.filter((r) => !r.defect).map((r) => r.data);
    const malformedRows = expectedRows.filter((r) => r.defect);
    expect(malformedRows.length).toBeGreaterThan(5);
    expect(raw).toHaveLength(validRows.length);
    expect(new Set(raw.map((r) => `${r.meterId}|${r.timestamp}`)).size).toBe(validRows.length);
    expect([...raw].sort(byKey)).toEqual([...(validRows as Record<string, unknown>[])].sort(byKey));
    expect(quarantined).toHaveLength(malformedRows.length);
    for (const row of malformedRows) {
      const entry = quarantined.find(
        (q) =>
          JSON.parse(q.text).data && JSON.stringify(JSON.parse(q.text).data) === JSON.stringify(row.data),
      );
      expect(entry?.reason, `quarantine entry for a ${row.defect} row`).toMatch(/\w+/);
    }

    // Act: archive everything.
    const rawObjects = await listKeys(runtime.s3, dataBucket, 'raw/');
    const archive = await runtime.stateMachines.startExecution('archive', {
      pipeline: 'water',
      beforeDay: '9999-12-31',
    });

    // Assess: raw/ is empty, archive/ holds the same objects, the run's plan and summary are kept.
    expect(archive.status).toBe('SUCCEEDED');
    expect(archive.output).toMatchObject({ moved: rawObjects.length, missing: 0 });
    expect(await listKeys(runtime.s3, dataBucket, 'raw/')).toEqual([]);
    expect(await listKeys(runtime.s3, dataBucket, 'archive/')).toEqual(
      rawObjects.map((k) => k.replace(/^raw\//, 'archive/')),
    );
    expect(
      await listKeys(
        runtime.s3,
        runtime.names.artifactsBucket,
        `runs/water/archive/${archive.executionName}/`,
      ),
    ).toHaveLength(2);
  });

  it('keeps on-failure messages on disk where the runtime says', () => {
    // Assess: nothing failed permanently above, so the file does not exist or is empty.
    let contents = '';
    try {
      contents = readFileSync(runtime.onFailureFile, 'utf8');
    } catch {
      contents = '';
    }
    expect(contents).toBe('');
  });
});

function byKey(a: Record<string, unknown>, b: Record<string, unknown>): number {
  return `${a.meterId}|${a.timestamp}`.localeCompare(`${b.meterId}|${b.timestamp}`);
}
