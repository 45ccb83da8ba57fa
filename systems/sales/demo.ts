import type { DemoScenario, TriggeredExecution } from '../../local/demo-context.js';
import { readNdjsonUnder } from '../../local/inspect-data.js';

/** The demo's stores: a subset of the 1,115, enough for two Distributed Map batches and a few shifted stores. */
export const DEMO_SOURCE = {
  seed: 5,
  stores: 30,
  days: 942,
  // Day 870 is in the streamed part: a fifth of the stores lose 40% of their sales from then on.
  shiftDay: 870,
  shiftStoreShare: 0.2,
  shiftFactor: 0.6,
};
/** About 2.3 years of history for the first models; the last ~94 days stream. */
const INITIAL_SHARE = 0.9;
/** Days streamed between daily runs: the monitor scores the forecast made a week before. */
const DAYS_PER_RUN = 7;

interface TrainingSummary {
  requested?: number;
  promoted?: number;
  kept?: number;
  failed?: number;
}

const describeTraining = (summary: TrainingSummary) =>
  `${summary.requested ?? 0} stores: ${summary.promoted ?? 0} promoted, ${summary.kept ?? 0} kept, ${summary.failed ?? 0} failed`;

/**
 * The sales part of `npm run demo`: 30 stores' daily sales, the first 90% as history. sales-train
 * fans out one model per store through its Distributed Map; each daily run collects the week
 * streamed, scores the forecasts of a week before per store and forecasts every store again. A
 * fifth of the stores lose 40% of their sales on day 870: monitoring finds them degraded and its
 * event retrains those stores only.
 */
export const demo: DemoScenario = async (context) => {
  const { run, s3, dataBucket, say, waitForIngest } = context;
  say(
    `▶ Sales: ${DEMO_SOURCE.stores} stores × ${DEMO_SOURCE.days} days; the first ${INITIAL_SHARE * 100}% is history; ${DEMO_SOURCE.shiftStoreShare * 100}% of the stores lose ${Math.round((1 - DEMO_SOURCE.shiftFactor) * 100)}% of their sales on day ${DEMO_SOURCE.shiftDay}`,
  );
  const stream = (records: number) =>
    run('sales-stream', {
      pipeline: 'sales',
      source: DEMO_SOURCE,
      initialShare: INITIAL_SHARE,
      batchSize: records,
      numBatches: 1,
    });
  let produced = Number((await stream(DEMO_SOURCE.stores)).produced ?? 0);
  await waitForIngest();

  say(
    '▶ sales-train: collect the history, then one model per store (SARIMAX vs forest, rolling-origin RMSPE)',
  );
  const first = await run('sales-train', {});
  const firstSummary = first.summary as TrainingSummary & { cpuMsMedian?: number };
  say(`  ${describeTraining(firstSummary)}; median CPU per store ${firstSummary.cpuMsMedian ?? '?'} ms`);

  say(`▶ Streaming the remaining days, ${DAYS_PER_RUN} at a time, with a daily run after each`);
  const retrains: TrainingSummary[] = [];
  let degradedFound = 0;
  let dailyRuns = 0;
  let forecasts = 0;
  for (;;) {
    const output = await stream(DEMO_SOURCE.stores * DAYS_PER_RUN);
    produced += Number(output.produced ?? 0);
    await waitForIngest();
    const retrain = context.triggered('sales-train');
    const daily = await run('sales-daily', {});
    dailyRuns++;
    const monitoring = daily.monitoring as {
      degraded?: { store: number }[];
      retrain?: { requested?: number[] };
    };
    const forecast = daily.forecast as { stores?: number; origin?: string };
    forecasts = forecast.stores ?? forecasts;
    degradedFound += monitoring.degraded?.length ?? 0;
    const requested = monitoring.retrain?.requested ?? [];
    const retrained = await retrainOrCancel(retrain, requested.length > 0);
    if (retrained) {
      retrains.push(retrained);
      say(
        `  ${forecast.origin}: stores ${requested.join(', ')} degraded → sales-train (by the rule): ${describeTraining(retrained)}`,
      );
    }
    if (output.exhausted || output.noNewData) break;
  }
  const quarantined = (await readNdjsonUnder(s3, dataBucket, 'quarantine/sales/')).length;
  say(`  ${produced} records streamed, ${quarantined} quarantined with a reason; ${dailyRuns} daily runs`);
  return {
    produced,
    quarantined,
    firstTraining: firstSummary,
    dailyRuns,
    storesForecast: forecasts,
    degradedFound,
    retrains,
  };
};

async function retrainOrCancel(
  retrain: TriggeredExecution,
  expected: boolean,
): Promise<TrainingSummary | undefined> {
  if (!expected) {
    retrain.cancel();
    return undefined;
  }
  const output = await retrain.finished;
  return output.summary as TrainingSummary;
}
