import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getJson, putGzipNdjson, putJson } from '../../../adapters/s3-object-store.js';
import { createClassifier, defaultClassifierConfigs } from '../../../core/online/classifiers.js';
import { createRegressor, defaultRegressorConfigs } from '../../../core/online/regressors.js';
import { encodeNdjsonGzip } from '../../../core/streaming/ndjson.js';
import { listKeys } from '../../../local/inspect-data.js';
import type { AnalysisResult } from '../../../systems/online/handlers/analysis.js';
import type { VariableAnalysis } from '../../../systems/online/model/variable-analysis.js';
import { generateOnlineRecords, INFORMATIVE } from '../../../systems/online/records/generator.js';
import { startTestEmulators, type TestEmulators } from '../../support/emulators.js';

let emulators: TestEmulators;
let analysis: typeof import('../../../systems/online/handlers/analysis.js');

/** 3,000 records of the first concept (100 minutes from the epoch), as ingest lays them out in raw/ by arrival hour. */
const records = generateOnlineRecords({ seed: 13, count: 3000 });
async function putRaw(): Promise<void> {
  const byHour = new Map<string, typeof records>();
  for (const record of records) {
    const hour = record.time.slice(0, 13);
    byHour.set(hour, [...(byHour.get(hour) ?? []), record]);
  }
  for (const [hour, rows] of byHour) {
    const key = `raw/online/dt=${hour.slice(0, 10)}/hour=${hour.slice(11, 13)}/shardId-000000000000-${Date.parse(`${hour}:00:00Z`)}.ndjson.gz`;
    await putGzipNdjson(emulators.s3, emulators.dataBucket, key, encodeNdjsonGzip(rows));
  }
}
const analyse = async (input: Record<string, unknown>) =>
  (await analysis.handler({
    action: 'analyse',
    input,
    execution: { name: 'analysis-test' },
  })) as AnalysisResult;

beforeAll(async () => {
  emulators = await startTestEmulators({ kinesis: false });
  analysis = await import('../../../systems/online/handlers/analysis.js');
});
afterAll(async () => emulators?.stop());
beforeEach(async () => {
  for (const bucket of [emulators.dataBucket, emulators.artifactsBucket])
    for (const key of await listKeys(emulators.s3, bucket, ''))
      await emulators.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
  await putRaw();
});

describe('online-analysis handler against the S3 emulator', () => {
  it("writes the day's report and pictures: the informative features first, the models' importances", async () => {
    // Prepare: checkpoints of models that learned the same records
    const classifier = createClassifier(defaultClassifierConfigs['hoeffding-tree']);
    const regressor = createRegressor(defaultRegressorConfigs['linear-regression']);
    for (const r of records) {
      classifier.learn(r.features, r.label);
      regressor.learn(r.features, r.target);
    }
    await putJson(emulators.s3, emulators.artifactsBucket, 'checkpoints/online/classification.json', {
      version: 1,
      model: classifier.state(),
    });
    await putJson(emulators.s3, emulators.artifactsBucket, 'checkpoints/online/regression.json', {
      version: 1,
      model: regressor.state(),
    });
    // Act
    const result = await analyse({ startTime: '2024-01-01T00:00:00Z', endTime: '2024-01-02T00:00:00Z' });
    // Assess
    expect(result).toMatchObject({
      records: 3000,
      reportKey: 'reports/online/analysis/2024-01-01/report.json',
    });
    expect(result.strongest.target).toContain('load_pct');
    const report = await getJson<VariableAnalysis>(emulators.s3, emulators.artifactsBucket, result.reportKey);
    expect(
      report?.features
        .slice(-2)
        .map((f) => f.feature)
        .sort(),
    ).toEqual([...INFORMATIVE.irrelevant].sort());
    expect(report?.models.classification).toMatchObject({ modelName: 'hoeffding-tree', learned: 3000 });
    expect(report?.models.regression?.modelName).toBe('linear-regression');
    const importance = report?.models.regression?.importance ?? {};
    expect(Object.values(importance).reduce((s, v) => s + v, 0)).toBeCloseTo(1, 6);
    expect(importance.load_pct ?? 0).toBeGreaterThan(importance.humidity_pct ?? 0);
    const keys = await listKeys(
      emulators.s3,
      emulators.artifactsBucket,
      'reports/online/analysis/2024-01-01/',
    );
    expect(keys.sort()).toEqual([
      'reports/online/analysis/2024-01-01/correlations.svg',
      'reports/online/analysis/2024-01-01/importance.svg',
      'reports/online/analysis/2024-01-01/report.json',
    ]);
  });

  it('reads only the records of the range: by default the 24 h before its scheduled time', async () => {
    // Act
    const firstHour = await analyse({ startTime: '2024-01-01T00:00:00Z', endTime: '2024-01-01T01:00:00Z' });
    const scheduled = await analyse({ scheduledTime: '2024-01-02T00:30:00Z' });
    // Assess
    expect(firstHour.records).toBe(1800);
    expect(scheduled).toMatchObject({
      records: 2100,
      startTime: '2024-01-01T00:30:00.000Z',
      reportKey: 'reports/online/analysis/2024-01-02/report.json',
    });
  });

  it('writes a report that says there is no model yet before the learner learned anything', async () => {
    // Act
    const result = await analyse({ startTime: '2024-01-01T00:00:00Z', endTime: '2024-01-01T02:00:00Z' });
    // Assess
    const report = await getJson<VariableAnalysis>(emulators.s3, emulators.artifactsBucket, result.reportKey);
    expect(report?.models).toEqual({});
    expect(report?.records).toBe(3000);
  });

  it.each([
    [{ startTime: '2024-01-02T00:00:00Z', endTime: '2024-01-01T00:00:00Z' }, 'must be before endTime'],
    [{ startTime: '2023-01-01T00:00:00Z', endTime: '2024-01-01T00:00:00Z' }, 'at most 31 days'],
    [{ endTime: 'yesterday' }, 'endTime must be an ISO-8601 time'],
  ])('refuses %j with an InputError', async (input, message) => {
    await expect(analyse(input)).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining(message),
    });
  });
});
