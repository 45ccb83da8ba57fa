import { readMapResults } from '../../../adapters/s3-map-results.js';
import { getJson, putJson } from '../../../adapters/s3-object-store.js';
import { asBag, InputError, optionalString, stringField } from '../../../core/data/input-fields.js';
import { metricSet } from '../../../core/metrics/metric-set.js';
import { createS3Client } from '../../../lambdas/platform/clients.js';
import { handlerEnv } from '../../../lambdas/platform/env.js';
import { createLogger } from '../../../lambdas/platform/logger.js';
import { publishMetrics } from '../../../lambdas/platform/metrics.js';
import { defineStep, stepHandler } from '../../../lambdas/platform/step.js';
import type { StoreOutcome, TrainingSummary } from '../lifecycle/outcomes.js';
import { summarizeTraining } from '../lifecycle/training-summary.js';
import type { MonitoringResult } from '../monitoring/types.js';
import { MAX_STORES } from '../records/record-spec.js';
import { mapLimit, storeRegistry } from '../serving/champions.js';
import { HistoryReader } from '../store/history.js';
import { SYSTEM, salesKeys } from '../store/keys.js';

const logger = createLogger('sales-train-plan');
/** Exported so tests can inject faults an emulator cannot produce (SDK middleware). */
export const s3 = createS3Client();

/**
 * plan: which stores this training run trains, written as the Distributed Map's manifest (one
 * item per store, in store order, so a batch of consecutive stores reads one history shard).
 * `{}` trains every store with a profile; `{ stores: [3, 17] }` those; `{ trigger: "degradation",
 * monitoringRun }` the stores that monitoring run found degraded; `{ trigger: "first-models" }`
 * the stores that have no champion yet.
 */
const plan = defineStep({
  parse: (input) => {
    const trigger = stringField(input, 'trigger', 'manual', /^[\w-]{1,40}$/);
    const monitoringRun = optionalString(input, 'monitoringRun');
    if (trigger === 'degradation' && !monitoringRun)
      throw new InputError(
        'monitoringRun is required with trigger "degradation": the run that found the stores',
      );
    let stores: number[] | undefined;
    if (input.stores !== undefined) {
      if (!Array.isArray(input.stores) || input.stores.length === 0)
        throw new InputError('stores must be a non-empty list of store numbers, e.g. [1, 17]');
      stores = input.stores.map((s, i) => {
        if (!(Number.isInteger(s) && (s as number) >= 1 && (s as number) <= MAX_STORES))
          throw new InputError(
            `stores[${i}] must be a store number 1..${MAX_STORES}, got ${JSON.stringify(s)}`,
          );
        return s as number;
      });
    }
    return { trigger, monitoringRun, stores };
  },
  async run({ trigger, monitoringRun, stores }, { runId }) {
    const known = new Set(
      (await new HistoryReader(s3, handlerEnv.dataBucket()).allProfiles()).map((p) => p.store),
    );
    if (known.size === 0)
      throw new InputError('no store profiles yet: stream the sales records and run sales-daily first');
    let chosen: number[];
    if (stores) {
      const unknown = stores.filter((s) => !known.has(s));
      if (unknown.length > 0)
        throw new InputError(
          `no profile has arrived for store(s) ${unknown.join(', ')}; known stores: ${known.size}`,
        );
      chosen = stores;
    } else if (trigger === 'degradation' && monitoringRun) {
      const monitoring = await getJson<MonitoringResult>(
        s3,
        handlerEnv.artifactsBucket(),
        salesKeys.monitoring(monitoringRun),
      );
      if (!monitoring)
        throw new InputError(`no monitoring run "${monitoringRun}" (${salesKeys.monitoring(monitoringRun)})`);
      chosen = monitoring.degraded.map((d) => d.store);
    } else if (trigger === 'first-models') {
      // Only the stores without a champion: a first run cut short (Ctrl-C, a failed batch) is
      // finished by starting it again, without retraining the stores it already did.
      const bucket = handlerEnv.artifactsBucket();
      const missing = await mapLimit([...known], 16, async (store) =>
        (await storeRegistry(s3, bucket, store).champion()) ? undefined : store,
      );
      chosen = missing.filter((store): store is number => store !== undefined);
    } else chosen = [...known];
    chosen = [...new Set(chosen)].sort((a, b) => a - b);
    const manifestKey = salesKeys.storesManifest(runId);
    await putJson(
      s3,
      handlerEnv.artifactsBucket(),
      manifestKey,
      chosen.map((store) => ({ store })),
    );
    logger.info('training planned', { runId, trigger, stores: chosen.length });
    return {
      runId,
      trigger,
      stores: chosen.length,
      bucket: handlerEnv.artifactsBucket(),
      manifestKey,
      resultsPrefix: salesKeys.mapResultsPrefix(runId),
    };
  },
});

/**
 * summarize: the Distributed Map's results (its ResultWriter manifest) → one summary of the run:
 * promoted, kept and failed stores, with a failed batch's stores counted failed. Kept as the
 * run's record and as the newest run's, which the health endpoint and the page read.
 */
const summarize = defineStep({
  parse: (input) => {
    const plan = asBag(input.plan, 'plan');
    const details = asBag(asBag(input.map, 'map').ResultWriterDetails, 'map.ResultWriterDetails');
    const bucket = stringField(details, 'Bucket', '');
    const key = stringField(details, 'Key', '');
    if (!bucket || !key)
      throw new InputError('map.ResultWriterDetails must name the Bucket and Key of the manifest');
    return {
      manifest: { bucket, key },
      trigger: stringField(plan, 'trigger', 'manual'),
      requested: Number(plan.stores ?? 0),
    };
  },
  async run({ manifest, trigger, requested }, { runId }) {
    const results = await readMapResults(s3, manifest.bucket, manifest.key);
    const outcomes: StoreOutcome[] = results.succeeded.flatMap(
      (output) => (output as { stores?: StoreOutcome[] }).stores ?? [],
    );
    const summary: TrainingSummary = summarizeTraining({
      runId,
      trigger,
      requested,
      outcomes,
      failedBatches: results.failed.map((f) => ({
        stores: ((f.input as { Items?: { store: number }[] }).Items ?? []).map((i) => i.store),
        reason: `${f.error ?? 'error'}: ${f.cause ?? 'no cause'}`,
      })),
      finishedAt: new Date(),
    });
    await putJson(s3, handlerEnv.artifactsBucket(), salesKeys.training(runId), summary);
    await putJson(s3, handlerEnv.artifactsBucket(), salesKeys.trainingLatest, summary);
    publishMetrics([
      metricSet(handlerEnv.metricsNamespace(), { Pipeline: SYSTEM }, [
        { name: 'SalesStoresPromoted', value: summary.promoted, unit: 'Count' },
        { name: 'SalesStoresTrainingFailed', value: summary.failed, unit: 'Count' },
      ]),
    ]);
    logger.info('training summarized', {
      runId,
      promoted: summary.promoted,
      kept: summary.kept,
      failed: summary.failed,
    });
    const { stores: _stores, ...counts } = summary;
    return counts;
  },
});

export const handler = stepHandler({ steps: { plan, summarize } });
