import { putJson, putObject } from '../../../adapters/s3-object-store.js';
import { InputError, stringField } from '../../../core/data/input-fields.js';
import { createS3Client } from '../../../lambdas/platform/clients.js';
import { handlerEnv } from '../../../lambdas/platform/env.js';
import { createLogger } from '../../../lambdas/platform/logger.js';
import { defineStep, stepHandler } from '../../../lambdas/platform/step.js';
import { edaReport } from '../model/eda.js';
import { addDays, LABEL_HORIZON_DAYS } from '../model/labels.js';
import { churnKeys } from '../store/keys.js';
import { readTableRows, tableDays } from '../store/tables.js';

const logger = createLogger('churn-eda');
/** Exported so tests can inject faults an emulator cannot produce (SDK middleware). */
export const s3 = createS3Client();
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** eda: the daily summaries of a date range → correlations and distributions by churn, with pictures. */
const eda = defineStep({
  parse: (input) => {
    const startDate = stringField(input, 'startDate', '', DAY);
    const endDate = stringField(input, 'endDate', '', DAY);
    if (!startDate || !endDate)
      throw new InputError(
        'startDate and endDate (YYYY-MM-DD) are required, e.g. {"startDate": "2025-01-01", "endDate": "2025-01-31"}',
      );
    if (startDate > endDate) throw new InputError(`startDate ${startDate} is after endDate ${endDate}`);
    return { startDate, endDate };
  },
  async run({ startDate, endDate }, { runId }) {
    const summaryDays = (await tableDays(s3, churnKeys.summaries)).filter(
      (d) => d >= startDate && d <= endDate,
    );
    if (summaryDays.length === 0)
      throw new InputError(
        `no daily summaries between ${startDate} and ${endDate}: run churn-daily, or pick days that have data`,
      );
    // Churn flags look past the range's end by the label horizon (a customer who leaves soon after).
    const horizonEnd = addDays(endDate, LABEL_HORIZON_DAYS);
    const customerDays = (await tableDays(s3, churnKeys.customers)).filter((d) => d <= horizonEnd);
    const report = edaReport({
      startDate,
      endDate,
      summaries: await readTableRows(s3, churnKeys.summaries, summaryDays),
      customers: await readTableRows(s3, churnKeys.customers, customerDays),
    });
    const bucket = handlerEnv.artifactsBucket();
    for (const prefix of [churnKeys.reportPrefix('eda', runId), churnKeys.reportPrefix('eda', 'latest')]) {
      await putJson(s3, bucket, `${prefix}eda.json`, { runId, ...report.json });
      await putObject(s3, bucket, `${prefix}correlations.svg`, report.heatmapSvg, {
        contentType: 'image/svg+xml',
      });
      await putObject(s3, bucket, `${prefix}distributions.svg`, report.histogramsSvg, {
        contentType: 'image/svg+xml',
      });
    }
    logger.info('eda written', { runId, startDate, endDate, days: summaryDays.length });
    return {
      runId,
      startDate,
      endDate,
      days: summaryDays.length,
      reportPrefix: churnKeys.reportPrefix('eda', runId),
    };
  },
});

export const handler = stepHandler({ steps: { eda } });
