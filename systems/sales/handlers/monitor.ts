import { readTableRows, tableDays, writeTableDay } from '../../../adapters/s3-day-table.js';
import { getJson, putJson, putObject } from '../../../adapters/s3-object-store.js';
import { addDays } from '../../../core/data/calendar-days.js';
import { metricSet } from '../../../core/metrics/metric-set.js';
import { createS3Client } from '../../../lambdas/platform/clients.js';
import { handlerEnv } from '../../../lambdas/platform/env.js';
import { createLogger } from '../../../lambdas/platform/logger.js';
import { publishMetrics } from '../../../lambdas/platform/metrics.js';
import { putEvent } from '../../../lambdas/platform/put-event.js';
import { defineStep, stepHandler } from '../../../lambdas/platform/step.js';
import { errorDistributionSvg } from '../monitoring/error-picture.js';
import { STORE_ERROR_COLUMNS, storeErrorRows } from '../monitoring/error-rows.js';
import { DEGRADED_RULE, errorDistribution, storeErrors } from '../monitoring/store-errors.js';
import type { MonitoringResult, StoreError } from '../monitoring/types.js';
import type { DailySales } from '../records/types.js';
import { storeRegistry } from '../serving/champions.js';
import type { ForecastRow } from '../serving/forecast-rows.js';
import { HistoryReader } from '../store/history.js';
import { SYSTEM, salesKeys } from '../store/keys.js';

const logger = createLogger('sales-monitor');
/** Exported so tests can inject faults an emulator cannot produce (SDK middleware). */
export const s3 = createS3Client();
/** The forecast scored is the newest one made at least this many days before the newest actuals. */
const SCORE_AFTER_DAYS = 7;

/** Degraded stores already sent for retraining, by the model version that degraded. */
type RetrainRequests = Record<string, string>;

/**
 * monitor: how wrong the nightly forecasts were once their days' actuals arrived. The newest
 * forecast made at least 7 days before the newest actuals is scored per store (RMSPE over its open
 * days), against the error the store's champion's backtest led to expect. The distribution across
 * stores and the degraded share become metrics (the `sales-stores-degraded` alarm watches the
 * share); the degraded stores whose champion is still the one that forecast, and that were not
 * sent already, go to retraining by a `Sales stores degraded` event: only those stores retrain.
 */
const monitor = defineStep({
  parse: () => ({}),
  async run(_input, { runId }): Promise<MonitoringResult> {
    const history = new HistoryReader(s3, handlerEnv.dataBucket());
    const profiles = await history.allProfiles();
    const actuals = new Map<number, DailySales[]>();
    for (const profile of profiles) actuals.set(profile.store, await history.days(profile.store));
    const newest = await history.newestDay();
    const latestOrigin = newest ? addDays(newest, -SCORE_AFTER_DAYS) : undefined;
    const origin = latestOrigin
      ? (await tableDays(s3, salesKeys.forecasts)).filter((d) => d <= latestOrigin).at(-1)
      : undefined;
    const forecasts = origin
      ? ((await readTableRows(s3, salesKeys.forecasts, [origin])) as unknown as ForecastRow[])
      : [];
    const errors = storeErrors(forecasts, actuals);
    const degraded = errors.filter((e) => e.degraded);
    const retrain = await requestRetraining(runId, degraded);
    const result: MonitoringResult = {
      runId,
      day: newest ?? '',
      origin: origin ?? null,
      evaluated: errors.length,
      degraded,
      distribution: errorDistribution(errors),
      degradedShare: errors.length === 0 ? 0 : degraded.length / errors.length,
      rule: DEGRADED_RULE,
      retrain,
    };
    if (newest && origin && errors.length > 0) {
      const svg = errorDistributionSvg(newest, origin, errors);
      for (const run of [runId, 'latest'])
        await putObject(s3, handlerEnv.artifactsBucket(), `${salesKeys.reportPrefix(run)}errors.svg`, svg, {
          contentType: 'image/svg+xml',
        });
    }
    if (newest && errors.length > 0)
      await writeTableDay(
        s3,
        salesKeys.storeErrors,
        newest,
        storeErrorRows(newest, errors),
        STORE_ERROR_COLUMNS,
        SYSTEM,
      );
    await putJson(s3, handlerEnv.artifactsBucket(), salesKeys.monitoring(runId), result);
    await putJson(s3, handlerEnv.artifactsBucket(), salesKeys.monitoringLatest, result);
    if (errors.length > 0)
      publishMetrics([
        metricSet(handlerEnv.metricsNamespace(), { Pipeline: SYSTEM }, [
          { name: 'SalesStoresEvaluated', value: errors.length, unit: 'Count' },
          { name: 'SalesStoresDegraded', value: degraded.length, unit: 'Count' },
          { name: 'SalesDegradedShare', value: result.degradedShare, unit: 'None' },
          { name: 'SalesStoreRmspeP50', value: result.distribution.p50 ?? 0, unit: 'None' },
          { name: 'SalesStoreRmspeP90', value: result.distribution.p90 ?? 0, unit: 'None' },
        ]),
      ]);
    logger.info('monitored', {
      runId,
      day: result.day,
      origin: result.origin,
      evaluated: result.evaluated,
      degraded: degraded.length,
      retrain: retrain.requested.length,
    });
    return result;
  },
});

/**
 * Sends the degraded stores to retraining, once per store and degraded model version: a store
 * whose champion changed since its forecast (retrained already) or that was sent for this very
 * version is left out, so a daily run does not retrain the same store again and again.
 */
async function requestRetraining(
  runId: string,
  degraded: readonly StoreError[],
): Promise<MonitoringResult['retrain']> {
  if (degraded.length === 0) return { requested: [], skipped: null };
  const bucket = handlerEnv.artifactsBucket();
  const sent = (await getJson<RetrainRequests>(s3, bucket, salesKeys.retrainRequests)) ?? {};
  const requested: number[] = [];
  for (const error of degraded) {
    if (sent[String(error.store)] === error.modelVersion) continue;
    const champion = await storeRegistry(s3, bucket, error.store).champion();
    if (champion && champion.version !== error.modelVersion) continue;
    requested.push(error.store);
  }
  if (requested.length === 0)
    return { requested, skipped: 'every degraded store was sent already or has a newer champion' };
  await putEvent({
    source: `smlp.${SYSTEM}`,
    detailType: 'Sales stores degraded',
    detail: { runId, stores: requested.length },
  });
  for (const store of requested)
    sent[String(store)] = degraded.find((e) => e.store === store)?.modelVersion ?? '';
  await putJson(s3, bucket, salesKeys.retrainRequests, sent);
  return { requested, skipped: null };
}

export const handler = stepHandler({ steps: { monitor } });
