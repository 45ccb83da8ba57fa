import { getJson, putJson } from '../../../adapters/s3-object-store.js';
import { asBag, optionalString } from '../../../core/data/input-fields.js';
import { FitFailed, runChallenge } from '../../../core/lifecycle/index.js';
import { createS3Client } from '../../../lambdas/platform/clients.js';
import { handlerEnv } from '../../../lambdas/platform/env.js';
import { createLogger } from '../../../lambdas/platform/logger.js';
import { registryFor } from '../../../lambdas/platform/registry.js';
import { defineStep, stepHandler } from '../../../lambdas/platform/step.js';
import { parseForecastSettings } from '../model/forecast-settings.js';
import { toHourlySeries } from '../model/hourly-series.js';
import {
  holdoutForecast,
  sarimaxAdapter,
  TooManyFilledHours,
  trainingData,
  type WaterTrainingData,
} from '../model/sarimax-adapter.js';
import { MODEL, PIPELINE, refuseOtherPipeline } from '../names.js';
import { waterKeys } from '../store/keys.js';
import { loadBuckets } from '../store/series-store.js';

const logger = createLogger('water-train');
/** Exported so tests can inject faults an emulator cannot produce (SDK middleware). */
export const s3 = createS3Client();

/**
 * `train`: the shared champion/challenger lifecycle with the SARIMAX adapter on the hourly
 * series. Returns the ChallengeResult the platform's promote step decides on, plus where the
 * holdout predictions are (for the report) and the window's filled hours. A window too short or
 * too much interpolated, or a challenger that cannot be fitted, registers nothing: the failure is
 * recorded in the run and the step fails with FitFailed (not retried).
 */
const train = defineStep({
  parse(input) {
    refuseOtherPipeline(input);
    const series = asBag(asBag(input.series, 'series').result, 'series result');
    return { settings: parseForecastSettings(input), manifestKey: optionalString(series, 'manifestKey') };
  },
  async run({ settings, manifestKey }, { runId }) {
    const keys = waterKeys.run(runId);
    const artifacts = handlerEnv.artifactsBucket();
    const buckets = (await loadBuckets(s3))?.buckets;
    if (!buckets) throw new FitFailed('no hourly series yet: run the water-init-model state machine first');
    let data: WaterTrainingData;
    try {
      data = trainingData(toHourlySeries(buckets), settings);
    } catch (error) {
      if (error instanceof FitFailed)
        await putJson(s3, artifacts, keys.training, {
          runId,
          failed: error.message,
          ...(error instanceof TooManyFilledHours ? { gaps: error.gaps } : {}),
        });
      throw error;
    }
    const consumed = await getJson<{ consumed: { key: string; etag?: string }[] }>(
      s3,
      artifacts,
      manifestKey ?? keys.data,
    );

    const outcome = await runChallenge({
      adapter: sarimaxAdapter,
      registry: registryFor(s3, PIPELINE, MODEL),
      data,
      rule: settings.rule,
      runId,
      registration: {
        trainedOn: (consumed?.consumed ?? []).map((c) => ({ key: c.key, etag: c.etag ?? '' })),
        codeVersion: handlerEnv.codeVersion(),
        parameters: {
          search: 'maxP' in settings.order ? settings.order : null,
          logTransform: settings.logTransform,
          windowPoints: data.window.values.length,
          holdoutHours: settings.holdoutHours,
          gaps: data.gaps,
        },
      },
    });
    if (!outcome.ok) {
      await putJson(s3, artifacts, keys.training, {
        runId,
        failed: outcome.reason,
        gaps: data.gaps,
        ...outcome.details,
      });
      throw new FitFailed(`challenger fit failed: ${outcome.reason}`);
    }

    await putJson(s3, artifacts, keys.evaluation, {
      runId,
      holdout: {
        timestamps: data.holdout.timestamps,
        actual: data.holdout.values,
        challenger: holdoutForecast(outcome.challenger, data),
        champion: outcome.championModel ? holdoutForecast(outcome.championModel, data) : null,
      },
      attempts: outcome.challenger.attempts,
      gaps: data.gaps,
    });
    // The gap summary rides along in the ChallengeResult's extras (promote ignores them; the report reads them).
    const result = { ...outcome.result, evaluationKey: keys.evaluation, gaps: data.gaps };
    logger.info('challenger trained and registered', { ...result });
    return result;
  },
});

export const handler = stepHandler({ steps: { train }, errors: { permanent: [FitFailed] } });
