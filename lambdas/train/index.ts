import { asBag, stringField } from '../../core/data/input-fields.js';
import {
  describeOrder,
  fitSarimax,
  forecast,
  holdoutMetrics,
  validateArtifact,
} from '../../core/forecasting/index.js';
import type {
  FitOutcome,
  HoldoutMetrics,
  SarimaxArtifact,
  TrainingSeries,
} from '../../core/forecasting/types.js';
import { type ForecastSettings, parseForecastSettings } from '../../core/water/forecast-settings.js';
import { toHourlySeries } from '../../core/water/hourly-series.js';
import { splitHoldout, tail, toTrainingSeries } from '../../core/water/training-series.js';
import { createS3Client } from '../commons/clients.js';
import { handlerEnv } from '../commons/env.js';
import { createLogger } from '../commons/logger.js';
import { registryFor } from '../commons/registry.js';
import { getJson, putJson } from '../commons/s3-objects.js';
import { loadBuckets } from '../commons/water-series-store.js';

const logger = createLogger('train');
/** Exported so tests can inject faults an emulator cannot produce (SDK middleware). */
export const s3 = createS3Client();

/** A fit that produced no model: Step Functions does not retry it (it would fail the same way). */
export class FitFailed extends Error {
  override readonly name = 'FitFailed';
}

export interface ScoredModel {
  version?: string;
  order: string;
  aic: number;
  holdoutMae: number;
  holdoutRmse: number;
  holdoutMape: number;
}

export interface TrainResult {
  runId: string;
  pipeline: string;
  challenger: ScoredModel & { version: string };
  /** The champion's order refitted on the same window; absent without a champion. */
  champion?: ScoredModel | { failed: string; version: string };
  evaluationKey: string;
}

type Scored =
  | { outcome: FitOutcome; failed: string }
  | { outcome: FitOutcome; artifact: SarimaxArtifact; predicted: number[]; metrics: HoldoutMetrics };

/** Fits on the training part and scores a forecast of the held-out part. */
async function fitAndScore(
  train: TrainingSeries,
  holdout: TrainingSeries,
  settings: ForecastSettings,
  order: ForecastSettings['order'],
): Promise<Scored> {
  const outcome = await fitSarimax(train, {
    order,
    timeLimitMs: settings.timeLimitMs,
    logTransform: settings.logTransform,
    maxPoints: settings.maxPoints,
  });
  if (!outcome.ok) return { outcome, failed: outcome.reason };
  const predicted = forecast(outcome.artifact, holdout.values.length, holdout.exog);
  return {
    outcome,
    artifact: outcome.artifact,
    predicted: predicted.mean,
    metrics: holdoutMetrics(holdout.values, predicted.mean),
  };
}

export async function handler(event: unknown): Promise<TrainResult> {
  const startedAt = new Date().toISOString();
  const outer = asBag(event, 'train input');
  const input = asBag(outer.input, 'train input');
  const pipeline = stringField(input, 'pipeline', 'water', /^water$/);
  const settings = parseForecastSettings(input);
  const seriesStep = asBag(asBag(input.series, 'series').result, 'series result');
  const runId = stringField(
    seriesStep,
    'runId',
    stringField(asBag(outer.execution, 'execution'), 'name', `run-${Date.now()}`),
  );
  const manifestKey = stringField(seriesStep, 'manifestKey', `runs/${pipeline}/${runId}/data.json`);

  const buckets = (await loadBuckets(s3, pipeline))?.buckets;
  if (!buckets) throw new FitFailed(`no hourly series for "${pipeline}" yet: run init-model first`);
  const window = tail(toTrainingSeries(toHourlySeries(buckets)), settings.maxPoints);
  if (window.values.length < settings.holdoutHours + 24 * 7) {
    throw new FitFailed(
      `${window.values.length} hourly points are too few: need a week plus the ${settings.holdoutHours} h holdout`,
    );
  }
  const { train, holdout } = splitHoldout(window, settings.holdoutHours);
  const registry = registryFor(s3, pipeline);

  // The challenger, as configured (fixed order or search), scored on the holdout.
  const challenger = await fitAndScore(train, holdout, settings, settings.order);
  if ('failed' in challenger) {
    await putJson(s3, handlerEnv.artifactsBucket(), `runs/${pipeline}/${runId}/training.json`, {
      runId,
      failed: challenger.failed,
      attempts: challenger.outcome.attempts,
    });
    throw new FitFailed(`challenger fit failed: ${challenger.failed}`);
  }
  // The champion's order on the very same window, so AIC and holdout error compare like with like.
  const current = await registry.loadChampion();
  let champion: TrainResult['champion'];
  let championPredicted: number[] | undefined;
  if (current) {
    const championArtifact = validateArtifact(current.model.artifact);
    const refit = await fitAndScore(train, holdout, settings, championArtifact.order);
    if ('failed' in refit) champion = { failed: refit.failed, version: current.pointer.version };
    else {
      championPredicted = refit.predicted;
      champion = {
        version: current.pointer.version,
        order: describeOrder(championArtifact.order),
        aic: refit.artifact.aic,
        holdoutMae: refit.metrics.mae,
        holdoutRmse: refit.metrics.rmse,
        holdoutMape: refit.metrics.mape,
      };
    }
  }

  // The served model: the challenger's order refitted on the whole window, so it forecasts from the latest hour.
  const final = await fitSarimax(window, {
    order: challenger.artifact.order,
    timeLimitMs: settings.timeLimitMs,
    logTransform: settings.logTransform,
    maxPoints: settings.maxPoints,
  });
  const served: SarimaxArtifact = final.ok ? final.artifact : challenger.artifact;
  const data = await getJson<{ consumed: { key: string; etag?: string }[] }>(
    s3,
    handlerEnv.artifactsBucket(),
    manifestKey,
  );
  const registered = await registry.register({
    artifact: served,
    parameters: {
      order: describeOrder(served.order),
      orderSpec: served.order,
      search: 'maxP' in settings.order ? settings.order : null,
      logTransform: settings.logTransform,
      exog: served.exogNames,
      windowPoints: window.values.length,
      holdoutHours: settings.holdoutHours,
      refitOnWholeWindow: final.ok,
    },
    metrics: {
      aic: challenger.artifact.aic,
      holdoutMae: challenger.metrics.mae,
      holdoutRmse: challenger.metrics.rmse,
      holdoutMape: challenger.metrics.mape,
      sigma2: served.sigma2,
    },
    trainedOn: (data?.consumed ?? []).map((c) => ({ key: c.key, etag: c.etag ?? '' })),
    codeVersion: handlerEnv.codeVersion(),
    training: { startedAt, finishedAt: new Date().toISOString() },
  });

  const evaluationKey = `runs/${pipeline}/${runId}/evaluation.json`;
  await putJson(s3, handlerEnv.artifactsBucket(), evaluationKey, {
    runId,
    holdout: {
      timestamps: holdout.timestamps,
      actual: holdout.values,
      challenger: challenger.predicted,
      champion: championPredicted ?? null,
    },
    attempts: challenger.outcome.attempts,
  });
  const result: TrainResult = {
    runId,
    pipeline,
    challenger: {
      version: registered.version,
      order: describeOrder(challenger.artifact.order),
      aic: challenger.artifact.aic,
      holdoutMae: challenger.metrics.mae,
      holdoutRmse: challenger.metrics.rmse,
      holdoutMape: challenger.metrics.mape,
    },
    ...(champion ? { champion } : {}),
    evaluationKey,
  };
  logger.info('challenger trained and registered', { ...result });
  return result;
}
