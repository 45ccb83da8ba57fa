import { getJson, putJson, putObject } from '../../../adapters/s3-object-store.js';
import { asBag, optionalString } from '../../../core/data/input-fields.js';
import { parseChallengeResult } from '../../../core/lifecycle/index.js';
import { createS3Client } from '../../../lambdas/platform/clients.js';
import { handlerEnv } from '../../../lambdas/platform/env.js';
import { createLogger } from '../../../lambdas/platform/logger.js';
import { defineStep, stepHandler } from '../../../lambdas/platform/step.js';
import { type ReportInput, renderForecastReportSvg } from '../model/forecast-report.js';
import { parseGapSummary } from '../model/gaps.js';
import { toHourlySeries } from '../model/hourly-series.js';
import { MODEL, PIPELINE, refuseOtherPipeline } from '../names.js';
import { championForecast } from '../store/champion-forecast.js';
import { waterKeys } from '../store/keys.js';
import { loadBuckets } from '../store/series-store.js';

const logger = createLogger('water-report');
/** Exported so tests can inject faults an emulator cannot produce (SDK middleware). */
export const s3 = createS3Client();

/** Hours ahead the report's forecast shows. */
const REPORT_HORIZON = 48;

/**
 * `report`: reports/water/<runId>/report.{json,svg}, and the same as reports/water/latest/: the
 * decision with its reason, both models' scores, the last week with the champion's forecast and
 * its intervals, and the holdout with champion and challenger predictions against what happened.
 */
const report = defineStep({
  parse(input) {
    refuseOtherPipeline(input);
    const train = asBag(asBag(input.train, 'train').result, 'train result');
    const decision = asBag(asBag(input.decision, 'decision').result, 'decision result');
    return {
      challenge: parseChallengeResult(train),
      evaluationKey: optionalString(train, 'evaluationKey'),
      gaps: parseGapSummary(train.gaps),
      decision: {
        promoted: typeof decision.promoted === 'boolean' ? decision.promoted : null,
        reason: optionalString(decision, 'reason') ?? null,
        championVersion: optionalString(decision, 'championVersion') ?? null,
      },
    };
  },
  async run({ challenge, evaluationKey, gaps, decision }, { runId }) {
    const artifacts = handlerEnv.artifactsBucket();
    const buckets = (await loadBuckets(s3))?.buckets;
    const series = buckets ? toHourlySeries(buckets) : { timestamps: [], values: [] };
    const week = Math.max(0, series.timestamps.length - 7 * 24);
    const evaluation = evaluationKey
      ? await getJson<{ holdout: NonNullable<ReportInput['holdout']> }>(s3, artifacts, evaluationKey)
      : undefined;
    const forecast = await championForecast(s3, REPORT_HORIZON);

    const summary = {
      pipeline: PIPELINE,
      model: MODEL,
      runId,
      createdAt: new Date().toISOString(),
      decision,
      challenger: challenge.challenger,
      champion: challenge.champion ?? null,
      rule: challenge.rule,
      series: {
        points: series.timestamps.length,
        first: series.timestamps[0] ?? null,
        last: series.timestamps.at(-1) ?? null,
      },
      /** The training window's hours nobody reported (interpolated); null from a train step without it. */
      gaps: gaps ?? null,
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
      ...(decision.reason ? { decision: decision.reason } : {}),
      ...(gaps ? { gaps } : {}),
    });
    for (const prefix of [waterKeys.reportPrefix(runId), waterKeys.reportPrefix('latest')]) {
      await putJson(s3, artifacts, `${prefix}/report.json`, summary);
      await putObject(s3, artifacts, `${prefix}/report.svg`, svg, { contentType: 'image/svg+xml' });
    }
    const prefix = waterKeys.reportPrefix(runId);
    logger.info('report written', { runId, key: `${prefix}/report.svg` });
    return { reportKey: `${prefix}/report.json`, svgKey: `${prefix}/report.svg` };
  },
});

export const handler = stepHandler({ steps: { report } });
