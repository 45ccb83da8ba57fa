import { getJson } from '../../adapters/s3-object-store.js';
import type { DemoContext, DemoScenario } from '../../local/demo-context.js';
import { readNdjsonUnder } from '../../local/inspect-data.js';
import { churnKeys } from './store/keys.js';

/** The demo's population: small enough to stream in a minute, large enough for a forest to learn churn. */
const SOURCE = {
  seed: 11,
  start: '2025-01-01',
  days: 110,
  customers: 200,
  activity: 0.12,
  driftStartDay: 84,
};
/** About 80 days of history: a month of features, a month until labels settle, three weekly snapshots. */
const INITIAL_SHARE = 0.72;

interface SentAlert {
  kind: string;
  firstDay: string;
  days: number;
}

/**
 * One daily run and what its scores set off: monitoring started by the predictions' S3 event
 * through its rule, and, when monitoring sends an alert, the retrain its event starts.
 */
async function dailyAndReactions(context: DemoContext) {
  const monitoring = context.triggered('churn-monitor');
  const retrain = context.triggered('churn-train');
  const daily = await context.run('churn-daily', {});
  const scoring = daily.scoring as { scored?: string[]; modelVersion?: string; skipped?: string };
  if (!scoring.scored?.length) {
    monitoring.cancel();
    retrain.cancel();
    return { daily, scoring, alerts: [] as SentAlert[], retrained: undefined };
  }
  const monitored = await monitoring.finished;
  const alerts = (monitored.alertsSent ?? []) as SentAlert[];
  if (alerts.length === 0) retrain.cancel();
  const retrained = alerts.length > 0 ? await retrain.finished : undefined;
  return { daily, scoring, alerts, retrained };
}

const describeAlerts = (alerts: SentAlert[]) =>
  alerts.map((a) => `${a.kind} from ${a.firstDay} (${a.days} days)`).join(', ') || 'no alert';

/**
 * The churn part of `npm run demo`: the first 72% of 110 days of call-detail records is history
 * the first model learns from; the rest streams through the shared producer and ingest. Each
 * daily run summarizes, snapshots and scores; its scores' marker object starts monitoring through
 * an EventBridge rule; an alert's event starts a retrain through a second rule. Behaviour shifts
 * on day 84, in the streamed part: the second monitoring run finds it.
 */
export const demo: DemoScenario = async (context) => {
  const { run, s3, dataBucket, artifactsBucket, say, waitForIngest } = context;
  say(
    `▶ Churn: ${SOURCE.customers} customers × ${SOURCE.days} days of CDRs; the first ${INITIAL_SHARE * 100}% is history, behaviour shifts on day ${SOURCE.driftStartDay}`,
  );
  const stream = (batchSize: number, numBatches: number) =>
    run('churn-stream', {
      pipeline: 'churn',
      source: SOURCE,
      initialShare: INITIAL_SHARE,
      batchSize,
      numBatches,
    });
  // The first run writes the history for the daily run to read; one record streams with it.
  let produced = Number((await stream(1, 1)).produced ?? 0);
  await waitForIngest();

  say(
    '▶ churn-daily: history → day events → customer-day summaries → snapshot features → first model → scores',
  );
  const first = await dailyAndReactions(context);
  say(
    `  ${(first.daily.snapshots as string[]).length} snapshots; scored ${first.scoring.scored?.length ?? 0} with ${first.scoring.modelVersion ?? first.scoring.skipped}`,
  );
  say(`  churn-monitor (started by the predictions' S3 event): ${describeAlerts(first.alerts)}`);

  say('▶ Streaming the remaining days (the behaviour shift among them)');
  for (;;) {
    const output = await stream(2000, 5);
    produced += Number(output.produced ?? 0);
    if (output.exhausted || output.noNewData) break;
  }
  await waitForIngest();
  const quarantined = (await readNdjsonUnder(s3, dataBucket, 'quarantine/churn/')).length;
  say(`  ${produced} records streamed, ${quarantined} quarantined with a reason`);

  const second = await dailyAndReactions(context);
  say(`▶ churn-daily: ${second.scoring.scored?.length ?? 0} new snapshots scored`);
  say(`  churn-monitor: ${describeAlerts(second.alerts)}`);
  const retrained = second.retrained ?? first.retrained;
  if (retrained)
    say(
      `  churn-train (started by the alert's event): ${retrained.promoted ? 'promoted' : 'kept champion'}: ${retrained.reason}`,
    );

  const endDate = '2025-02-28';
  const eda = await run('churn-eda', { startDate: SOURCE.start, endDate });
  say(`▶ churn-eda ${SOURCE.start} … ${endDate}: report under ${eda.reportPrefix}`);
  const report = await getJson<Record<string, unknown>>(
    s3,
    artifactsBucket,
    `${churnKeys.reportPrefix('monitoring', 'latest')}report.json`,
  );
  return {
    produced,
    quarantined,
    snapshots: (first.daily.snapshots as string[]).length + (second.daily.snapshots as string[]).length,
    firstModel: first.scoring.modelVersion ?? null,
    scoredSnapshots: (first.scoring.scored?.length ?? 0) + (second.scoring.scored?.length ?? 0),
    alerts: { first: first.alerts, second: second.alerts },
    retrain: retrained ? { promoted: retrained.promoted, reason: retrained.reason } : null,
    monitoringReport: report ? `${churnKeys.reportPrefix('monitoring', 'latest')}report.json` : null,
    edaReport: eda.reportPrefix,
  };
};
