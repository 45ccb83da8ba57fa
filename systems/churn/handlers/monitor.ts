import { getJson, putJson, putObject } from '../../../adapters/s3-object-store.js';
import { intField, optionalString } from '../../../core/data/input-fields.js';
import { createS3Client } from '../../../lambdas/platform/clients.js';
import { handlerEnv } from '../../../lambdas/platform/env.js';
import { createLogger } from '../../../lambdas/platform/logger.js';
import { publishMetrics } from '../../../lambdas/platform/metrics.js';
import { putEvent } from '../../../lambdas/platform/put-event.js';
import { registryFor } from '../../../lambdas/platform/registry.js';
import { defineStep, stepHandler } from '../../../lambdas/platform/step.js';
import { parseChurnModel } from '../model/churn-adapter.js';
import { churnDays } from '../model/labels.js';
import { monitorPeriods } from '../model/monitoring.js';
import { monitoringMetrics, newAlerts, type SentAlerts } from '../model/monitoring-alerts.js';
import { monitoredPeriod } from '../model/monitoring-periods.js';
import { renderMonitoringReport } from '../model/monitoring-report.js';
import { churnKeys, MODEL, SYSTEM } from '../store/keys.js';
import { readTableRows, tableDays } from '../store/tables.js';

const logger = createLogger('churn-monitor');
/** Exported so tests can inject faults an emulator cannot produce (SDK middleware). */
export const s3 = createS3Client();
/** The source and detail type of the event that starts a retrain (the rule in system.ts matches them). */
export const DEGRADATION_EVENT = { source: 'smlp.churn', detailType: 'Churn model degraded' } as const;

/**
 * monitor: the champion's predictions of the last days against its training reference —
 * estimated performance (CBPE) for every day, realised performance where labels have settled,
 * drift per feature and across features — as a report with pictures, metrics, and one event per
 * new alert, which starts a retrain.
 */
const monitor = defineStep({
  parse: (input) => ({
    lastDays: intField(input, 'lastDays', 90, 1, 730),
    trigger: optionalString(input, 'trigger') ?? 'manual',
  }),
  async run({ lastDays, trigger }, { runId }) {
    const champion = await registryFor(s3, SYSTEM, MODEL).loadChampion();
    if (!champion) return { runId, skipped: 'no champion churn model yet: nothing to monitor' };
    const model = parseChurnModel(champion.model.artifact);
    const modelVersion = champion.pointer.version;
    const days = (await tableDays(s3, churnKeys.predictions)).slice(-lastDays);
    const latestDay = (await tableDays(s3, churnKeys.summaries)).at(-1);
    if (days.length === 0 || !latestDay) return { runId, skipped: 'no predictions yet: nothing to monitor' };
    const churned = churnDays(
      await readTableRows(s3, churnKeys.customers, await tableDays(s3, churnKeys.customers)),
    );
    const periods = [];
    for (const day of days) {
      const predictions = await readTableRows(s3, churnKeys.predictions, [day]);
      const features = await readTableRows(s3, churnKeys.features, [day]);
      periods.push(
        monitoredPeriod({ day, predictions, features, featureNames: model.featureNames, churned, latestDay }),
      );
    }
    const result = monitorPeriods(model.reference, periods);
    const report = renderMonitoringReport(result);
    const bucket = handlerEnv.artifactsBucket();
    const summary = { runId, trigger, modelVersion, latestDay, days: days.length, ...report.json };
    for (const prefix of [
      churnKeys.reportPrefix('monitoring', runId),
      churnKeys.reportPrefix('monitoring', 'latest'),
    ]) {
      await putJson(s3, bucket, `${prefix}report.json`, summary);
      await putObject(s3, bucket, `${prefix}metrics.svg`, report.metricsSvg, {
        contentType: 'image/svg+xml',
      });
      await putObject(s3, bucket, `${prefix}drift.svg`, report.driftSvg, { contentType: 'image/svg+xml' });
    }
    publishMetrics(monitoringMetrics(handlerEnv.metricsNamespace(), result));

    // One event per alert kind and champion: a retrain it starts is not started again by the next
    // run's same finding, and a new champion is watched afresh.
    const sent = (await getJson<SentAlerts>(s3, handlerEnv.dataBucket(), churnKeys.alertState)) ?? {};
    const fresh = newAlerts(result, modelVersion, sent);
    if (fresh.length > 0) {
      await putEvent({
        source: DEGRADATION_EVENT.source,
        detailType: DEGRADATION_EVENT.detailType,
        detail: {
          runId,
          modelVersion,
          alerts: fresh,
          reportKey: `${churnKeys.reportPrefix('monitoring', runId)}report.json`,
        },
      });
      const updated: SentAlerts = {
        ...sent,
        [modelVersion]: [...(sent[modelVersion] ?? []), ...fresh.map((a) => a.kind)],
      };
      await putJson(s3, handlerEnv.dataBucket(), churnKeys.alertState, updated);
    }
    logger.info('monitored', { runId, trigger, modelVersion, days: days.length, alerts: fresh });
    return {
      runId,
      trigger,
      modelVersion,
      days: days.length,
      alertsSent: fresh,
      reportKey: `${churnKeys.reportPrefix('monitoring', runId)}report.json`,
    };
  },
});

export const handler = stepHandler({ steps: { monitor } });
