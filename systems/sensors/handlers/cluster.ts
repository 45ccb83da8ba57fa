import { getJson, putJson, putObject } from '../../../adapters/s3-object-store.js';
import { asBag, InputError, intField, optionalString } from '../../../core/data/input-fields.js';
import type { DriftReport } from '../../../core/drift/compare.js';
import { driftRecords } from '../../../core/drift/metrics.js';
import { compareFeatureRows, driftFeatureNames } from '../../../core/drift/windows.js';
import { featureCreator } from '../../../core/features/chunk-features.js';
import { FitFailed, runChallenge } from '../../../core/lifecycle/index.js';
import { KMeansModel } from '../../../core/ml/kmeans/index.js';
import { createS3Client } from '../../../lambdas/platform/clients.js';
import { handlerEnv } from '../../../lambdas/platform/env.js';
import { createLogger } from '../../../lambdas/platform/logger.js';
import { publishMetrics } from '../../../lambdas/platform/metrics.js';
import { registryFor } from '../../../lambdas/platform/registry.js';
import { defineStep, stepHandler } from '../../../lambdas/platform/step.js';
import { assignSensorDays, clusterCounts, clusterSizeMetrics } from '../model/assignments.js';
import { clusterMatrix } from '../model/cluster-features.js';
import { clusterReport, type ReportDecision } from '../model/cluster-report.js';
import { kmeansAdapter } from '../model/kmeans-adapter.js';
import { clusteringPromotionRule, parseTrainingSettings } from '../model/training-settings.js';
import { SENSOR_SAMPLING_MS } from '../records/keyed.js';
import { SENSOR_CHANNELS } from '../records/reading.js';
import { readAssignments, writeAssignments } from '../store/assignment-store.js';
import { featureDays, featureFiles, readFeatureRows } from '../store/feature-store.js';
import { MODEL, SYSTEM, sensorKeys } from '../store/keys.js';

const logger = createLogger('sensors-cluster');
/** Exported so tests can inject faults an emulator cannot produce (SDK middleware). */
export const s3 = createS3Client();
const METRICS = { namespace: 'StreamingMlPipelines', dimensions: { Pipeline: SYSTEM } };
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const registry = () => registryFor(s3, SYSTEM, MODEL);
const DRIFT_FEATURES = driftFeatureNames(
  featureCreator({ channels: SENSOR_CHANNELS, samplingIntervalMs: SENSOR_SAMPLING_MS }).columns,
);

/**
 * train: the challenger fitted on the trailing window of sensor-days, it and the champion scored
 * on those same sensor-days, the challenger registered. Whether it becomes champion is the
 * promote step's decision (the rule travels in the result); `training.json` keeps the scores.
 */
const train = defineStep({
  parse: parseTrainingSettings,
  async run(settings, { runId }) {
    const files = (await featureFiles(s3)).slice(-settings.windowDays);
    const days = files.map((file) => file.day);
    const rows = await readFeatureRows(s3, days);
    if (rows.length < settings.kMax + 1)
      throw new InputError(
        `${rows.length} sensor-days in the last ${days.length} feature day(s) are too few to cluster into up to ${settings.kMax} groups: lower kMax, widen windowDays or wait for more data`,
      );
    const challenge = await runChallenge({
      adapter: kmeansAdapter(settings),
      registry: registry(),
      data: clusterMatrix(rows),
      rule: clusteringPromotionRule(settings.maxSilhouetteDrop),
      runId,
      registration: {
        trainedOn: files.map(({ key, etag }) => ({ key, etag })),
        codeVersion: handlerEnv.codeVersion(),
        parameters: { ...settings, days },
      },
    });
    const trainingKey = sensorKeys.training(runId);
    if (!challenge.ok) {
      await putJson(s3, handlerEnv.artifactsBucket(), trainingKey, { runId, failed: challenge.reason, days });
      throw new FitFailed(challenge.reason);
    }
    const result = {
      ...challenge.result,
      days,
      sensorDays: rows.length,
      candidates: challenge.challenger.search?.candidates ?? [],
      warmStarted: challenge.challenger.search?.warmStarted ?? false,
    };
    await putJson(s3, handlerEnv.artifactsBucket(), trainingKey, result);
    logger.info('challenger registered', {
      runId,
      challenger: result.challenger,
      champion: result.champion ?? null,
    });
    return result;
  },
});

/** predict: each sensor-day of the chosen days → its cluster under the champion, with the distribution. */
const predict = defineStep({
  parse: (input): { days: string[] } | { lastDays: number } => {
    if (input.days === undefined) return { lastDays: intField(input, 'lastDays', 1, 1, 365) };
    if (!Array.isArray(input.days) || !input.days.every((d) => typeof d === 'string' && DAY.test(d)))
      throw new InputError(`days must be a list of YYYY-MM-DD days, got ${JSON.stringify(input.days)}`);
    return { days: input.days as string[] };
  },
  async run(input, { runId }) {
    const champion = await registry().loadChampion();
    if (!champion)
      throw new InputError('no champion clustering model yet: run the sensors-training state machine first');
    const kmeans = KMeansModel.fromJSON(champion.model.artifact);
    const modelVersion = champion.pointer.version;
    const days = 'days' in input ? input.days : (await featureDays(s3)).slice(-input.lastDays);
    const distribution: Record<string, Record<string, number>> = {};
    for (const day of days) {
      const rows = await readFeatureRows(s3, [day]);
      if (rows.length === 0) continue;
      const assignments = assignSensorDays(kmeans, modelVersion, day, rows);
      await writeAssignments(s3, day, assignments);
      distribution[day] = clusterCounts(assignments);
      publishMetrics(clusterSizeMetrics(METRICS, distribution[day]));
    }
    logger.info('sensor-days assigned', { runId, days: days.length, modelVersion });
    return { runId, modelVersion, days, distribution };
  },
});

/** drift: the latest day's features against the previous days' (mean shift, std ratio, PSI). */
const drift = defineStep({
  parse: (input) => ({ referenceDays: intField(input, 'referenceDays', 7, 1, 90) }),
  async run({ referenceDays }, { runId }) {
    const days = await featureDays(s3);
    const current = days.at(-1);
    const reference = days.slice(-1 - referenceDays, -1);
    if (!current || reference.length === 0)
      return { runId, skipped: 'not enough feature days to compare yet', drifted: [] };
    const report = compareFeatureRows(
      await readFeatureRows(s3, reference),
      await readFeatureRows(s3, [current]),
      DRIFT_FEATURES,
    );
    publishMetrics(driftRecords(METRICS, report));
    await putJson(s3, handlerEnv.artifactsBucket(), sensorKeys.drift(runId), {
      runId,
      current,
      reference,
      ...report,
    });
    logger.info('drift compared', { runId, current, drifted: report.drifted });
    return { runId, current, reference, drifted: report.drifted };
  },
});

/** report: cluster sizes over the last 30 days, this run's drift and, after training, its decision. */
const report = defineStep({
  parse: (input): { decision?: ReportDecision } => {
    const decision = asBag(asBag(input.decision, 'decision').result, 'decision result');
    if (Object.keys(decision).length === 0) return {};
    if (typeof decision.promoted !== 'boolean' || typeof decision.reason !== 'string')
      throw new InputError("decision.result must be the promote step's outcome ({promoted, reason, …})");
    return {
      decision: {
        promoted: decision.promoted,
        reason: decision.reason,
        championVersion: optionalString(decision, 'championVersion') ?? null,
        challengerVersion: optionalString(decision, 'challengerVersion') ?? '',
      },
    };
  },
  async run({ decision }, { runId }) {
    const countsByDay = [];
    for (const day of (await featureDays(s3)).slice(-30))
      countsByDay.push({ day, counts: clusterCounts(await readAssignments(s3, day)) });
    const { summary, svg } = clusterReport({
      runId,
      countsByDay,
      drift: await getJson<DriftReport & { current: string }>(
        s3,
        handlerEnv.artifactsBucket(),
        sensorKeys.drift(runId),
      ),
      decision,
      createdAt: new Date().toISOString(),
    });
    for (const prefix of [sensorKeys.reportPrefix(runId), sensorKeys.reportPrefix('latest')]) {
      await putJson(s3, handlerEnv.artifactsBucket(), `${prefix}report.json`, summary);
      await putObject(s3, handlerEnv.artifactsBucket(), `${prefix}report.svg`, svg, {
        contentType: 'image/svg+xml',
      });
    }
    return { reportKey: `${sensorKeys.reportPrefix(runId)}report.json` };
  },
});

export const handler = stepHandler({
  steps: { train, predict, drift, report },
  errors: { permanent: [FitFailed] },
});
