import { putJson } from '../../../adapters/s3-object-store.js';
import { InputError } from '../../../core/data/input-fields.js';
import { createS3Client } from '../../../lambdas/platform/clients.js';
import { handlerEnv } from '../../../lambdas/platform/env.js';
import { createLogger } from '../../../lambdas/platform/logger.js';
import { registryFor } from '../../../lambdas/platform/registry.js';
import { defineStep, stepHandler } from '../../../lambdas/platform/step.js';
import { parseChurnModel } from '../model/churn-adapter.js';
import { toFeatureMatrix } from '../model/features.js';
import { PREDICTION_COLUMNS, predictionRows } from '../model/predictions.js';
import { scoreCustomers } from '../model/training.js';
import { churnKeys, MODEL, SYSTEM } from '../store/keys.js';
import { readTableRows, tableDays, writeTableDay } from '../store/tables.js';

const logger = createLogger('churn-predict');
/** Exported so tests can inject faults an emulator cannot produce (SDK middleware). */
export const s3 = createS3Client();
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * score: every customer of each snapshot without predictions yet (or the days asked for) scored
 * by the champion: calibrated probability, decision, threshold and model version, as Parquet.
 * Then one marker object for the run, whose S3 event starts monitoring once, not once per day.
 */
const score = defineStep({
  parse: (input) => {
    if (input.snapshots === undefined) return { snapshots: undefined };
    if (
      !Array.isArray(input.snapshots) ||
      !input.snapshots.every((d) => typeof d === 'string' && DAY.test(d))
    )
      throw new InputError(
        `snapshots must be a list of YYYY-MM-DD days, got ${JSON.stringify(input.snapshots)}`,
      );
    return { snapshots: input.snapshots as string[] };
  },
  async run({ snapshots }, { runId }) {
    const champion = await registryFor(s3, SYSTEM, MODEL).loadChampion();
    if (!champion)
      return { runId, scored: [] as string[], skipped: 'no champion churn model yet: run churn-train first' };
    const model = parseChurnModel(champion.model.artifact);
    const modelVersion = champion.pointer.version;
    const featureDays = await tableDays(s3, churnKeys.features);
    const scoredDays = new Set(await tableDays(s3, churnKeys.predictions));
    const days = snapshots ?? featureDays.filter((d) => !scoredDays.has(d));
    const scoredAt = new Date().toISOString();
    const scored: string[] = [];
    let customers = 0;
    for (const snapshot of days) {
      const rows = await readTableRows(s3, churnKeys.features, [snapshot]);
      if (rows.length === 0) continue;
      const matrix = toFeatureMatrix(rows);
      const { probabilities, decisions, threshold } = scoreCustomers(model, matrix);
      const predictions = predictionRows({
        snapshot,
        customerIds: matrix.customerIds,
        probabilities,
        decisions,
        threshold,
        modelVersion,
        scoredAt,
      });
      await writeTableDay(s3, churnKeys.predictions, snapshot, predictions, PREDICTION_COLUMNS);
      scored.push(snapshot);
      customers += predictions.length;
    }
    if (scored.length > 0)
      await putJson(s3, handlerEnv.dataBucket(), churnKeys.predictionRun(runId), {
        runId,
        modelVersion,
        snapshots: scored,
        customers,
        scoredAt,
      });
    logger.info('scored', { runId, modelVersion, snapshots: scored.length, customers });
    return { runId, modelVersion, scored, customers };
  },
});

export const handler = stepHandler({ steps: { score } });
