import { getJson } from '../../adapters/s3-object-store.js';
import type { DemoScenario } from '../../local/demo-context.js';
import { readNdjsonUnder } from '../../local/inspect-data.js';
import type { PollerResult } from './handlers/poller.js';
import { defectAt } from './records/generator.js';
import { onlineKeys } from './store/keys.js';

/** Three runs of 100 polls: a few hundred records, enough for the rolling metrics to mean something. */
const RUNS = 3;
/**
 * The poller's own input makes it fast here (100 polls 10 ms apart) instead of a faster clock:
 * the demo's runtime keeps the wall clock, and the input is what a person would type too.
 */
const FAST_POLL = { seconds: 1, intervalSeconds: 0.01 };
/**
 * How long the learner may go without learning anything new before the demo says it is stuck.
 * Progress, not a total: on LocalStack its filtered event source first reads past every other
 * system's record on the stream, so its first result can take minutes on a busy machine.
 */
const LEARNER_STALL_MS = 180_000;
/** How long the learner may take to write its first result. */
const LEARNER_FIRST_RESULT_MS = 600_000;

interface LatestResult {
  tick: number;
  learned: number;
  driftResets: number;
  modelName: string;
  metrics: Record<string, number | null>;
}

/**
 * The online part of `npm run demo`: the poller reads the project's source into the stream, the
 * learner predicts then learns every record (both models), and the variable analysis reports on
 * what arrived. Prints each model's rolling metrics and where the report is.
 */
export const demo: DemoScenario = async (context) => {
  const { run, s3, dataBucket, say } = context;
  say(
    `▶ online-poll ×${RUNS}: the generator's records (seeded, drifting) onto the stream, one tick at a time`,
  );
  let sent = 0;
  let errors = 0;
  let lastTick = -1;
  for (let i = 0; i < RUNS; i++) {
    const output = await run('online-poll', FAST_POLL);
    const result = output.result as PollerResult;
    sent += result.sent;
    errors += result.errors;
    if (result.lastTick !== null) lastTick = result.lastTick;
  }
  say(`  ${sent} records sent (ticks up to ${lastTick}), ${errors} failed polls`);

  say('▶ online-learner: predict, then learn, each record, exactly once (both models)');
  // Ingest first (raw/ for the analysis); the learner's results are then polled for below: the
  // last clean tick, since the source breaks a few records on purpose and the learner skips them.
  await context.waitForIngest();
  let lastClean = lastTick;
  while (lastClean >= 0 && defectAt(lastClean) !== undefined) lastClean--;
  const latest = await waitForLatest(context, lastClean);
  for (const [model, result] of Object.entries(latest))
    say(
      `  ${model} (${result.modelName}): ${result.learned} learned, ${result.driftResets} drift resets, ${formatMetrics(result.metrics)}`,
    );

  const raw = (await readNdjsonUnder(s3, dataBucket, 'raw/online/')).length;
  const quarantined = (await readNdjsonUnder(s3, dataBucket, 'quarantine/online/')).length;
  say(
    `  ingest: ${raw} in raw/, ${quarantined} quarantined (the source breaks about 1 record in 250 on purpose)`,
  );

  say("▶ online-analysis: correlations with the label and the target, each model's importances");
  const analysis = await run('online-analysis', {});
  say(`  report s3://${context.artifactsBucket}/${analysis.reportKey} (${analysis.records} records)`);

  return {
    sent,
    failedPolls: errors,
    inRaw: raw,
    quarantined,
    classification: latest.classification,
    regression: latest.regression,
    analysis: { reportKey: analysis.reportKey, records: analysis.records },
  };
};

/** Polls the latest results until both models have learned up to `lastTick`, or says why not. */
async function waitForLatest(
  context: Parameters<DemoScenario>[0],
  lastTick: number,
): Promise<Record<'classification' | 'regression', LatestResult>> {
  let deadline = Date.now() + LEARNER_FIRST_RESULT_MS;
  let learnedUpTo = -1;
  for (;;) {
    const [classification, regression] = await Promise.all(
      (['classification', 'regression'] as const).map((model) =>
        getJson<LatestResult>(context.s3, context.dataBucket, onlineKeys.latest(model)),
      ),
    );
    const caughtUp = (result: LatestResult | undefined) => result !== undefined && result.tick >= lastTick;
    if (classification && regression && caughtUp(classification) && caughtUp(regression))
      return { classification, regression };
    const progress = Math.min(classification?.tick ?? -1, regression?.tick ?? -1);
    if (progress > learnedUpTo) {
      learnedUpTo = progress;
      deadline = Date.now() + LEARNER_STALL_MS;
    }
    if (Date.now() > deadline)
      throw new Error(
        learnedUpTo < 0
          ? `the learner wrote no result within ${LEARNER_FIRST_RESULT_MS / 1000} s`
          : `the learner stopped at tick ${learnedUpTo} of ${lastTick}: nothing new for ${LEARNER_STALL_MS / 1000} s (latest: classification ${classification?.tick}, regression ${regression?.tick})`,
      );
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

function formatMetrics(metrics: Record<string, number | null>): string {
  return Object.entries(metrics)
    .map(
      ([name, value]) =>
        `${name} ${value === null ? 'n/a' : Number.isInteger(value) ? value : value.toFixed(3)}`,
    )
    .join(', ');
}
