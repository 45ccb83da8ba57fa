import { PutObjectCommand } from '@aws-sdk/client-s3';
import { asBag, InputError, intField, numberField, stringField } from '../../core/data/input-fields.js';
import type { DriftReport } from '../../core/drift/compare.js';
import { driftRecords } from '../../core/drift/metrics.js';
import { compareFeatureRows, driftFeatureNames } from '../../core/drift/windows.js';
import { featureCreator } from '../../core/features/chunk-features.js';
import { emfRecord } from '../../core/features/emf.js';
import {
  decideClusteringPromotion,
  evaluateClustering,
  KMeansModel,
  trainKMeansModel,
} from '../../core/ml/kmeans/index.js';
import { type BarChartSpec, renderSvg } from '../../core/reports/svg-chart.js';
import { CLUSTER_FEATURES, clusterMatrix } from '../../core/sensors/cluster-features.js';
import { SENSOR_SAMPLING_MS } from '../../core/sensors/keyed.js';
import { SENSOR_CHANNELS } from '../../core/sensors/reading.js';
import { decodeNdjsonGzip, encodeNdjsonGzip } from '../../core/streaming/ndjson.js';
import { createS3Client } from '../commons/clients.js';
import { handlerEnv } from '../commons/env.js';
import { featureDays, readFeatureRows } from '../commons/feature-store.js';
import { createLogger } from '../commons/logger.js';
import { publishMetrics } from '../commons/metrics.js';
import { registryFor } from '../commons/registry.js';
import { getBytes, getJson, putGzipNdjson, putJson } from '../commons/s3-objects.js';

const logger = createLogger('cluster');
/** Exported so tests can inject faults an emulator cannot produce (SDK middleware). */
export const s3 = createS3Client();
const PIPELINE = 'sensors';
const NAMESPACE = 'StreamingMlPipelines';

async function championModel(): Promise<{ version: string; model: KMeansModel } | undefined> {
  const champion = await registryFor(s3, PIPELINE).loadChampion();
  return champion
    ? { version: champion.pointer.version, model: KMeansModel.fromJSON(champion.model.artifact) }
    : undefined;
}

/**
 * train: k-means on the trailing window of sensor-days, k chosen in [kMin, kMax] by silhouette,
 * warm-started from the champion's centroids; champion and challenger are scored on the same
 * sensor-days and the challenger replaces the champion unless its silhouette is worse by more
 * than the margin. Registers the challenger either way; the decision and reason are recorded.
 */
async function train(input: Record<string, unknown>, runId: string) {
  const windowDays = intField(input, 'windowDays', 14, 1, 365);
  const kMin = intField(input, 'kMin', 2, 2, 20);
  const kMax = intField(input, 'kMax', 6, kMin, 20);
  const maxSilhouetteDrop = numberField(input, 'maxSilhouetteDrop', 0.02, 0, 2);
  const days = (await featureDays(s3, PIPELINE)).slice(-windowDays);
  const rows = await readFeatureRows(s3, PIPELINE, days);
  if (rows.length < kMax + 1)
    throw new InputError(`${rows.length} sensor-days are too few to cluster into up to ${kMax} groups`);
  const points = clusterMatrix(rows);
  const current = await championModel();
  const report = trainKMeansModel(points, {
    featureNames: [...CLUSTER_FEATURES],
    kMin,
    kMax,
    nInit: 5,
    seed: 7,
    ...(current ? { champion: current.model } : {}),
  });
  const challengerScore = evaluateClustering(report.model, points);
  const championScore = current ? evaluateClustering(current.model, points) : undefined;
  const decision = decideClusteringPromotion({
    challenger: challengerScore,
    ...(championScore ? { champion: championScore } : {}),
    rule: { maxSilhouetteDrop },
  });
  const registry = registryFor(s3, PIPELINE);
  const registered = await registry.register({
    artifact: report.model.toJSON(),
    parameters: {
      k: report.model.k,
      kMin,
      kMax,
      windowDays,
      days,
      features: CLUSTER_FEATURES,
      warmStarted: report.warmStarted,
    },
    metrics: {
      silhouette: challengerScore.silhouette ?? Number.NaN,
      inertia: report.model.inertia,
      sensorDays: rows.length,
    },
    trainedOn: days.map((day) => ({ key: `features/${PIPELINE}/dt=${day}/features.parquet`, etag: '' })),
    codeVersion: handlerEnv.codeVersion(),
  });
  let promoted = false;
  let reason = decision.reason;
  if (decision.promote) {
    const result = await registry.promote(registered.version, {
      reason,
      expectedChampion: current?.version ?? null,
    });
    promoted = result.promoted;
    if (!result.promoted) reason = `${reason}; not promoted: ${result.reason}`;
  }
  const summary = {
    runId,
    promoted,
    reason,
    challenger: {
      version: registered.version,
      ...challengerScore,
      candidates: report.candidates,
      warmStarted: report.warmStarted,
    },
    champion: current ? { version: current.version, ...championScore } : null,
    sensorDays: rows.length,
    days,
  };
  await putJson(s3, handlerEnv.artifactsBucket(), `runs/${PIPELINE}/${runId}/training.json`, summary);
  logger.info(promoted ? 'challenger promoted' : 'champion kept', { runId, reason });
  return summary;
}

/** predict: each sensor-day of the latest feature day(s) → its cluster, stored with the distribution. */
async function predict(input: Record<string, unknown>, runId: string) {
  const champion = await championModel();
  if (!champion)
    throw new InputError('no champion clustering model yet: run the sensors-training state machine first');
  const allDays = await featureDays(s3, PIPELINE);
  const days = Array.isArray(input.days)
    ? (input.days as string[])
    : allDays.slice(-intField(input, 'lastDays', 1, 1, 365));
  const distribution: Record<string, Record<string, number>> = {};
  for (const day of days) {
    const rows = await readFeatureRows(s3, PIPELINE, [day]);
    if (rows.length === 0) continue;
    const assignments = champion.model.predict(clusterMatrix(rows));
    const records = rows.map((row, i) => ({
      sensorId: row.key,
      day,
      cluster: assignments[i]?.cluster,
      distance: assignments[i]?.distance,
      modelVersion: champion.version,
    }));
    await putGzipNdjson(
      s3,
      handlerEnv.dataBucket(),
      `predictions/${PIPELINE}/dt=${day}/assignments.ndjson.gz`,
      encodeNdjsonGzip(records),
    );
    const sizes: Record<string, number> = {};
    for (const record of records) sizes[String(record.cluster)] = (sizes[String(record.cluster)] ?? 0) + 1;
    distribution[day] = sizes;
    publishMetrics(
      Object.entries(sizes).map(([cluster, count]) =>
        emfRecord(NAMESPACE, { Pipeline: PIPELINE, Cluster: cluster }, [
          { name: 'SensorDaysInCluster', value: count, unit: 'Count' },
        ]),
      ),
    );
  }
  logger.info('sensor-days assigned', { runId, days: days.length, modelVersion: champion.version });
  return { runId, modelVersion: champion.version, days, distribution };
}

/** drift: the latest day's features against the previous days' (mean shift, std ratio, PSI). */
async function drift(input: Record<string, unknown>, runId: string) {
  const referenceDays = intField(input, 'referenceDays', 7, 1, 90);
  const days = await featureDays(s3, PIPELINE);
  const current = days.at(-1);
  const reference = days.slice(-1 - referenceDays, -1);
  if (!current || reference.length === 0)
    return { runId, skipped: 'not enough feature days to compare yet', drifted: [] };
  const names = driftFeatureNames(
    featureCreator({ channels: SENSOR_CHANNELS, samplingIntervalMs: SENSOR_SAMPLING_MS }).columns,
  );
  const report = compareFeatureRows(
    await readFeatureRows(s3, PIPELINE, reference),
    await readFeatureRows(s3, PIPELINE, [current]),
    names,
  );
  publishMetrics(driftRecords({ namespace: NAMESPACE, dimensions: { Pipeline: PIPELINE } }, report));
  await putJson(s3, handlerEnv.artifactsBucket(), `runs/${PIPELINE}/${runId}/drift.json`, {
    runId,
    current,
    reference,
    ...report,
  });
  logger.info('drift compared', { runId, current, drifted: report.drifted });
  return { runId, current, reference, drifted: report.drifted };
}

/** report: cluster sizes over time (from the stored assignments) and the drift of the last run. */
async function report(input: Record<string, unknown>, runId: string) {
  const days = (await featureDays(s3, PIPELINE)).slice(-30);
  const sizes: Record<string, { t: number; y: number }[]> = {};
  for (const day of days) {
    const assignments = await readAssignments(day);
    const counts: Record<string, number> = {};
    for (const a of assignments) counts[String(a.cluster)] = (counts[String(a.cluster)] ?? 0) + 1;
    for (const [cluster, count] of Object.entries(counts)) {
      const series = sizes[cluster] ?? [];
      series.push({ t: Date.parse(day), y: count });
      sizes[cluster] = series;
    }
  }
  const driftResult = asBag(asBag(input.drift, 'drift').result, 'drift result');
  const drifted = Array.isArray(driftResult.drifted) ? (driftResult.drifted as string[]) : [];
  const training = asBag(asBag(input.train, 'train').result, 'train result');
  const colors = ['#2563eb', '#059669', '#d97706', '#dc2626', '#7c3aed', '#0891b2', '#4b5563'];
  const svg = renderSvg([
    {
      title: 'Sensor-days per cluster, by day',
      subtitle: `${typeof training.reason === 'string' ? training.reason : 'inference run'}; drifted features: ${drifted.length > 0 ? drifted.join(', ') : 'none'}`,
      yLabel: 'sensor-days',
      width: 960,
      height: 340,
      lines: Object.entries(sizes).map(([cluster, points], i) => ({
        name: `cluster ${cluster}`,
        color: colors[i % colors.length] as string,
        points,
      })),
    },
    driftBars(
      await getJson<DriftReport & { current: string }>(
        s3,
        handlerEnv.artifactsBucket(),
        `runs/${PIPELINE}/${runId}/drift.json`,
      ),
    ),
  ]);
  const summary = {
    pipeline: PIPELINE,
    runId,
    createdAt: new Date().toISOString(),
    training: training.reason ? training : null,
    drifted,
    clusterSizes: sizes,
  };
  for (const prefix of [`reports/${PIPELINE}/${runId}`, `reports/${PIPELINE}/latest`]) {
    await putJson(s3, handlerEnv.artifactsBucket(), `${prefix}/report.json`, summary);
    await s3.send(
      new PutObjectCommand({
        Bucket: handlerEnv.artifactsBucket(),
        Key: `${prefix}/report.svg`,
        Body: svg,
        ContentType: 'image/svg+xml',
      }),
    );
  }
  return { reportKey: `reports/${PIPELINE}/${runId}/report.json` };
}

/** The drift picture: how far each feature's mean moved, in reference standard deviations. */
function driftBars(report: (DriftReport & { current: string }) | undefined): BarChartSpec {
  const features = (report?.features ?? []).filter((f) => f.judged && f.meanShiftSd !== null);
  const top = [...features]
    .sort((a, b) => Math.abs(b.meanShiftSd ?? 0) - Math.abs(a.meanShiftSd ?? 0))
    .slice(0, 15);
  return {
    kind: 'bars',
    title: 'Feature drift: mean shift of the latest day, in reference standard deviations',
    subtitle: !report
      ? 'no drift comparison in this run'
      : features.length === 0
        ? `${report.current}: not judged (${report.notJudged.length} features had fewer values than the minimum per window)`
        : `${report.current} against the previous days; red: drifted (${report.drifted.join(', ') || 'none'})`,
    width: 960,
    height: Math.max(120, 60 + top.length * 22),
    bars: top.map((f) => ({
      label: f.name,
      value: Math.abs(f.meanShiftSd ?? 0),
      color: f.drifted ? '#dc2626' : '#9ca3af',
    })),
    threshold: { value: report?.thresholds.maxMeanShiftSd ?? 0.5, label: 'drift threshold' },
  };
}

async function readAssignments(day: string): Promise<{ cluster: number }[]> {
  const bytes = await getBytes(
    s3,
    handlerEnv.dataBucket(),
    `predictions/${PIPELINE}/dt=${day}/assignments.ndjson.gz`,
  );
  return bytes ? decodeNdjsonGzip<{ cluster: number }>(bytes) : [];
}

export async function handler(event: unknown) {
  const outer = asBag(event, 'cluster input');
  const action = stringField(outer, 'action', '');
  const input = asBag(outer.input, 'cluster input');
  const runId = stringField(
    asBag(outer.execution, 'execution'),
    'name',
    `run-${Date.now()}`,
    /^[\w.-]{1,80}$/,
  );
  if (action === 'train') return train(input, runId);
  if (action === 'predict') return predict(input, runId);
  if (action === 'drift') return drift(input, runId);
  if (action === 'report') return report(input, runId);
  throw new InputError(
    `action must be "train", "predict", "drift" or "report", got ${JSON.stringify(action)}`,
  );
}
