import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getBytes, getJson, S3ObjectStore } from '../../../adapters/s3-object-store.js';
import { readParquet } from '../../../core/features/parquet-read.js';
import { ModelRegistry } from '../../../core/registry/model-registry.js';
import { decodeNdjsonGzip } from '../../../core/streaming/ndjson.js';
import { listKeys } from '../../../local/inspect-data.js';
import { localDemoContext } from '../../../local/local-demo-context.js';
import { LocalRuntime } from '../../../local/local-runtime.js';
import { demo } from '../../../systems/churn/demo.js';
import { churnKeys } from '../../../systems/churn/store/keys.js';
import { churnSystem } from '../../../systems/churn/system.js';
import { assertSystemParquetTables } from '../../support/table-schema.js';

/**
 * The churn system on the local runtime, as `npm run demo` runs it: history and streamed CDRs →
 * day summaries → snapshot features → the first model → predictions, whose marker object starts
 * monitoring through the S3 event rule; the drifted days then make monitoring alert, and the
 * alert's event starts a retrain through the second rule.
 */
let runtime: LocalRuntime;
let dataDir: string;
let summary: Record<string, unknown>;
const lines: string[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'smlp-churn-'));
  runtime = await LocalRuntime.start({ dataDir, shardCount: 4, pollIntervalMs: 50, systems: [churnSystem] });
}, 60_000);
afterAll(async () => {
  await runtime?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('churn from call-detail records, end to end on the local runtime', () => {
  it('streams, summarizes, trains the first model, scores, monitors on the S3 event and retrains on the alert', async () => {
    // Act
    const { context, executions } = localDemoContext(runtime, {
      say: (line) => {
        lines.push(line);
        process.stderr.write(`${line}\n`);
      },
      days: 60,
      dataDir,
      ingested: () => 0,
    });
    summary = await demo(context);

    // Assess: every execution succeeded, and the rules started monitoring twice and one retrain.
    expect(
      executions.filter((e) => e.status !== 'SUCCEEDED').map((e) => [e.stateMachine, e.error, e.cause]),
    ).toEqual([]);
    const byMachine = (name: string) => executions.filter((e) => e.stateMachine === name).length;
    expect(byMachine('churn-monitor')).toBe(2);
    expect(byMachine('churn-train')).toBe(1);
    expect(summary.firstModel).toEqual(expect.any(String));
    expect(Number(summary.quarantined)).toBeGreaterThan(0);

    // Nothing is flagged in the history; the injected shift (day 84, 2025-03-26) is, from that
    // day on, and its event retrained.
    const alerts = summary.alerts as Record<'first' | 'second', { kind: string; firstDay: string }[]>;
    expect(alerts.first).toEqual([]);
    expect(alerts.second.map((a) => a.kind)).toContain('data-drift');
    for (const alert of alerts.second) expect(alert.firstDay >= '2025-03-26', alert.firstDay).toBe(true);
    expect(summary.retrain).toMatchObject({ promoted: expect.any(Boolean), reason: expect.any(String) });
    const registry = new ModelRegistry({
      store: new S3ObjectStore(runtime.s3, runtime.names.artifactsBucket),
      pipeline: 'churn',
      model: 'churn',
    });
    expect((await registry.listVersions()).length).toBe(2);
  }, 900_000);

  it('stores every scored customer-day with its probability, decision, threshold and model version, in the declared table shape', async () => {
    // Prepare
    const keys = (await listKeys(runtime.s3, runtime.names.dataBucket, churnKeys.predictions.prefix)).filter(
      (k) => k.endsWith('.parquet'),
    );
    // Act
    const bytes = (await getBytes(runtime.s3, runtime.names.dataBucket, keys.at(-1) as string)) as Uint8Array;
    const { rows } = await readParquet(bytes);
    // Assess
    expect(keys.length).toBe(summary.scoredSnapshots);
    expect(rows.length).toBeGreaterThan(100);
    for (const row of rows) {
      expect(row.probability).toBeGreaterThanOrEqual(0);
      expect(row.probability).toBeLessThanOrEqual(1);
      expect(row.decision).toBe((row.probability as number) >= (row.threshold as number) ? 1 : 0);
      expect(row.model_version).toBe(summary.firstModel);
    }
    await assertSystemParquetTables(runtime.s3, runtime.names.dataBucket, churnSystem);
  });

  it('writes the monitoring and EDA reports with their pictures, and keeps the reason of every quarantined record', async () => {
    // Act
    const report = await getJson<{ result?: { periods?: unknown[] } }>(
      runtime.s3,
      runtime.names.artifactsBucket,
      `${churnKeys.reportPrefix('monitoring', 'latest')}report.json`,
    );
    const reports = await listKeys(runtime.s3, runtime.names.artifactsBucket, 'reports/churn/');
    const quarantine = await listKeys(runtime.s3, runtime.names.dataBucket, 'quarantine/churn/');
    const entries = decodeNdjsonGzip<{ reason: string }>(
      (await getBytes(runtime.s3, runtime.names.dataBucket, quarantine[0] as string)) as Uint8Array,
    );
    // Assess
    expect(report?.result?.periods?.length).toBeGreaterThan(10);
    expect(reports).toEqual(
      expect.arrayContaining([
        'reports/churn/monitoring/latest/metrics.svg',
        'reports/churn/monitoring/latest/drift.svg',
        'reports/churn/eda/latest/correlations.svg',
        'reports/churn/eda/latest/distributions.svg',
        'reports/churn/eda/latest/eda.json',
      ]),
    );
    expect(entries.every((entry) => entry.reason.length > 0)).toBe(true);
  });
});
