import { PutObjectCommand } from '@aws-sdk/client-s3';
import { asBag, stringField } from '../../core/data/input-fields.js';
import { renderForecastReportSvg } from '../../core/water/forecast-report.js';
import { toHourlySeries } from '../../core/water/hourly-series.js';
import { championForecast } from '../commons/champion-forecast.js';
import { createS3Client } from '../commons/clients.js';
import { handlerEnv } from '../commons/env.js';
import { createLogger } from '../commons/logger.js';
import { getJson, putJson } from '../commons/s3-objects.js';
import { loadBuckets } from '../commons/water-series-store.js';

const logger = createLogger('report');
/** Exported so tests can inject faults an emulator cannot produce (SDK middleware). */
export const s3 = createS3Client();

/** reports/<pipeline>/<runId>/report.{json,svg}, and the same as reports/<pipeline>/latest.{json,svg}. */
export async function handler(event: unknown) {
  const outer = asBag(event, 'report input');
  const input = asBag(outer.input, 'report input');
  const pipeline = stringField(input, 'pipeline', 'water', /^water$/);
  const train = asBag(asBag(input.train, 'train').result, 'train result');
  const decision = asBag(asBag(input.decision, 'decision').result, 'decision result');
  const runId = stringField(
    train,
    'runId',
    stringField(asBag(outer.execution, 'execution'), 'name', `run-${Date.now()}`),
  );
  const artifacts = handlerEnv.artifactsBucket();

  const buckets = (await loadBuckets(s3, pipeline))?.buckets;
  const series = buckets ? toHourlySeries(buckets) : { timestamps: [], values: [] };
  const week = Math.max(0, series.timestamps.length - 7 * 24);
  const evaluation =
    typeof train.evaluationKey === 'string'
      ? await getJson<{
          holdout: {
            timestamps: string[];
            actual: number[];
            challenger: number[] | null;
            champion: number[] | null;
          };
        }>(s3, artifacts, train.evaluationKey)
      : undefined;
  const forecast = await championForecast(s3, pipeline, 48);

  const summary = {
    pipeline,
    runId,
    createdAt: new Date().toISOString(),
    decision: {
      promoted: decision.promoted ?? null,
      reason: decision.reason ?? null,
      championVersion: decision.championVersion ?? null,
    },
    challenger: train.challenger ?? null,
    champion: train.champion ?? null,
    series: {
      points: series.timestamps.length,
      first: series.timestamps[0] ?? null,
      last: series.timestamps.at(-1) ?? null,
    },
    forecast: forecast
      ? {
          version: forecast.version,
          from: forecast.timestamps[0],
          to: forecast.timestamps.at(-1),
          exogenous: forecast.exogenous,
          mean: forecast.mean,
          lower95: forecast.lower95,
          upper95: forecast.upper95,
        }
      : null,
  };
  const svg = renderForecastReportSvg({
    title: `Water consumption, run ${runId}`,
    history: { timestamps: series.timestamps.slice(week), values: series.values.slice(week) },
    ...(forecast ? { forecast } : {}),
    ...(evaluation ? { holdout: evaluation.holdout } : {}),
    ...(typeof decision.reason === 'string' ? { decision: decision.reason } : {}),
  });
  for (const prefix of [`reports/${pipeline}/${runId}`, `reports/${pipeline}/latest`]) {
    await putJson(s3, artifacts, `${prefix}/report.json`, summary);
    await s3.send(
      new PutObjectCommand({
        Bucket: artifacts,
        Key: `${prefix}/report.svg`,
        Body: svg,
        ContentType: 'image/svg+xml',
      }),
    );
  }
  logger.info('report written', { runId, key: `reports/${pipeline}/${runId}/report.svg` });
  return {
    reportKey: `reports/${pipeline}/${runId}/report.json`,
    svgKey: `reports/${pipeline}/${runId}/report.svg`,
  };
}
