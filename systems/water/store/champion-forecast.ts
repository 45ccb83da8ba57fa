import type { S3Client } from '@aws-sdk/client-s3';
import { advanceArtifact, forecast, validateArtifact } from '../../../core/forecasting/index.js';
import type { Forecast } from '../../../core/forecasting/types.js';
import { registryFor } from '../../../lambdas/platform/registry.js';
import { futureExog } from '../model/future-exog.js';
import { toHourlySeries } from '../model/hourly-series.js';
import { toTrainingSeries } from '../model/training-series.js';
import { MODEL, PIPELINE } from '../names.js';
import { loadBuckets } from './series-store.js';

export interface ChampionForecast extends Forecast {
  version: string;
  /** The last observed hour the forecast continues from. */
  observedUntil: string;
  /** How the future exogenous values were chosen. */
  exogenous: string;
}

/**
 * The champion's forecast from the latest observed hour: the champion (read through the pointer)
 * keeps its coefficients, its filter is run through the hours observed since it was trained.
 * Without given temperatures, the last observed day repeats (stated in the result).
 */
export async function championForecast(
  s3: S3Client,
  horizon: number,
  temperatures?: number[],
): Promise<ChampionForecast | undefined> {
  const champion = await registryFor(s3, PIPELINE, MODEL).loadChampion();
  if (!champion) return undefined;
  let artifact = validateArtifact(champion.model.artifact);
  const buckets = (await loadBuckets(s3))?.buckets;
  const series = buckets ? toTrainingSeries(toHourlySeries(buckets)) : undefined;
  if (series?.timestamps.includes(artifact.training.end)) artifact = advanceArtifact(artifact, series);
  const exog = futureExog({
    fromTimestamp: artifact.training.end,
    horizon,
    recentTemperatures: (series?.exog ?? []).map((row) => row[0] as number),
    ...(temperatures ? { temperatures } : {}),
  });
  return {
    version: champion.pointer.version,
    observedUntil: artifact.training.end,
    exogenous: temperatures
      ? 'temperatures as given; holidays from the calendar'
      : 'temperature: the last observed day repeated; holidays from the calendar',
    ...forecast(artifact, horizon, exog),
  };
}
