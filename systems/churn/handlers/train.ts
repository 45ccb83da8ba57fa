import { putJson } from '../../../adapters/s3-object-store.js';
import { InputError } from '../../../core/data/input-fields.js';
import { FitFailed, runChallenge } from '../../../core/lifecycle/index.js';
import { createS3Client } from '../../../lambdas/platform/clients.js';
import { handlerEnv } from '../../../lambdas/platform/env.js';
import { createLogger } from '../../../lambdas/platform/logger.js';
import { registryFor } from '../../../lambdas/platform/registry.js';
import { defineStep, stepHandler } from '../../../lambdas/platform/step.js';
import { churnModelAdapter, churnPromotionRule } from '../model/churn-adapter.js';
import { toLabelledMatrix } from '../model/features.js';
import { churnDays, labelAt } from '../model/labels.js';
import { splitByTime } from '../model/training.js';
import { parseTrainingSettings } from '../model/training-settings.js';
import { parseTrainingWindow, trainingSnapshots } from '../model/training-window.js';
import { churnKeys, MODEL, SYSTEM } from '../store/keys.js';
import { readTableRows, tableDays, tableFiles } from '../store/tables.js';

const logger = createLogger('churn-train');
/** Exported so tests can inject faults an emulator cannot produce (SDK middleware). */
export const s3 = createS3Client();

/**
 * train: a challenger forest on snapshots whose labels are settled (time-ordered: train, then
 * calibration, then holdout), it and the champion scored on the same holdout, the challenger
 * registered. Whether it becomes champion is the shared promote step's decision.
 */
const train = defineStep({
  parse: (input) => ({ settings: parseTrainingSettings(input), window: parseTrainingWindow(input) }),
  async run({ settings, window }, { runId }) {
    const latestDay = (await tableDays(s3, churnKeys.summaries)).at(-1);
    if (!latestDay)
      throw new InputError('no daily summaries yet: stream some records and run churn-daily first');
    const featureFiles = await tableFiles(s3, churnKeys.features);
    const snapshots = trainingSnapshots(
      featureFiles.map((file) => file.day),
      latestDay,
      window,
    );
    if (snapshots.length < window.minSnapshots)
      throw new InputError(
        `${snapshots.length} snapshot(s) have settled labels (a label needs 30 days of data after its snapshot; the data end on ${latestDay}); training needs at least ${window.minSnapshots}: stream more days or lower minSnapshots`,
      );
    const churned = churnDays(
      await readTableRows(s3, churnKeys.customers, await tableDays(s3, churnKeys.customers)),
    );
    const rows = (await readTableRows(s3, churnKeys.features, snapshots)).map((row) => ({
      ...row,
      label: labelAt(String(row.customer_id), String(row.snapshot), churned, latestDay),
    }));
    const data = splitByTime(toLabelledMatrix(rows), settings);
    const challenge = await runChallenge({
      adapter: churnModelAdapter(settings),
      registry: registryFor(s3, SYSTEM, MODEL),
      data,
      rule: churnPromotionRule(settings),
      runId,
      registration: {
        trainedOn: featureFiles
          .filter((file) => snapshots.includes(file.day))
          .map(({ key, etag }) => ({ key, etag })),
        codeVersion: handlerEnv.codeVersion(),
        parameters: { ...settings, ...window, snapshots, latestDay },
      },
    });
    const trainingKey = churnKeys.training(runId);
    if (!challenge.ok) {
      await putJson(s3, handlerEnv.artifactsBucket(), trainingKey, {
        runId,
        failed: challenge.reason,
        snapshots,
      });
      throw new FitFailed(challenge.reason);
    }
    const result = {
      ...challenge.result,
      snapshots,
      latestDay,
      rows: {
        train: data.train.labels.length,
        calibration: data.calibration.labels.length,
        holdout: data.holdout.labels.length,
      },
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

export const handler = stepHandler({ steps: { train }, errors: { permanent: [FitFailed] } });
