/**
 * The platform's own CloudWatch metrics: their names and dimensions, and which values ingest and
 * the promote step publish for a given outcome. Pure: the handlers publish these sets
 * (lambdas/platform/metrics.ts) and the stack's dashboard graphs the same names, so the two
 * cannot drift apart. No system is named here: systems and models come from the records and the
 * challenge results, the deciding metric from the system's own promotion rule.
 */
import type { ChallengeResult } from '../lifecycle/challenge.js';
import type { PromotionOutcome } from '../lifecycle/promote.js';
import { reasonKind } from '../pipelines/validation-helpers.js';
import type { IngestRun } from '../streaming/ingest-plan.js';
import { type MetricSet, metricSet } from './metric-set.js';

/** Where the metrics go when the deployment names no namespace (`npm start`, the tests). */
export const DEFAULT_METRICS_NAMESPACE = 'StreamingMlPipelines';

/**
 * One namespace per deployment (`StreamingMlPipelines/smlp-dev`): two stages in one account and
 * region publish the same metric names with the same system names, and would otherwise add up
 * on each other's dashboards.
 */
export function deploymentMetricsNamespace(deployment: { readonly prefix: string; readonly stage: string }) {
  return `${DEFAULT_METRICS_NAMESPACE}/${deployment.prefix}-${deployment.stage}`;
}

/**
 * The `Pipeline` of records that name no known system: ingest files them under
 * `quarantine/unknown/` (core/streaming/ingest-plan.ts), and counts them under this name.
 */
export const UNKNOWN_PIPELINE = 'unknown';

export const PlatformMetricName = {
  /** Records ingest wrote to `raw/<system>/`. */
  recordsIngested: 'RecordsIngested',
  /** Records ingest wrote to `quarantine/<system>/` (by system, and by system and reason). */
  recordsQuarantined: 'RecordsQuarantined',
  /** One per champion/challenger decision: 1 promoted, 0 champion kept. */
  promoted: 'Promoted',
  /** The challenger's value of the rule's deciding metric. */
  challengerScore: 'ChallengerScore',
  /** The champion's value of the same metric, on the same data (absent with no champion). */
  championScore: 'ChampionScore',
} as const;

export const PlatformDimension = {
  /**
   * Added to every metric by Powertools Metrics: the publishing function's service name, which the
   * stack sets to its key (`ingest`, `promote`). Part of each metric's identity, so whoever reads
   * the metrics names it too.
   */
  service: 'service',
  /** The system (`pipeline` field of the records); `unknown` for records that name none. */
  pipeline: 'Pipeline',
  model: 'Model',
  /** The quarantine reason's wording with its values taken out (`reasonKind`). */
  reason: 'Reason',
  /** The promotion rule's metric (`rule.metric`), so the scores say what they measure. */
  decidingMetric: 'DecidingMetric',
} as const;

/**
 * A reason's wording can hold text from the record (field names of a bad envelope): cut, so a
 * dimension value stays readable on a graph and within CloudWatch's 1,024 characters.
 */
export const MAX_REASON_DIMENSION_LENGTH = 120;

export function reasonDimension(reason: string): string {
  const kind = reasonKind(reason).trim() || 'unspecified';
  return kind.length > MAX_REASON_DIMENSION_LENGTH
    ? `${kind.slice(0, MAX_REASON_DIMENSION_LENGTH - 1)}…`
    : kind;
}

/**
 * What ingest publishes for the runs it wrote: per system, the records landed in raw/ and in
 * quarantine/ (a system that appears gets both, zeros included, so its graph has no gaps), and per
 * system and reason the records quarantined. A batch delivered again counts again: these count
 * writes, as the stream's IncomingRecords counts puts.
 */
export function ingestMetricSets(namespace: string, written: readonly IngestRun[]): MetricSet[] {
  const bySystem = new Map<string, { ingested: number; quarantined: number }>();
  const byReason = new Map<string, Map<string, number>>();
  const totals = (pipeline: string) => {
    let entry = bySystem.get(pipeline);
    if (!entry) {
      entry = { ingested: 0, quarantined: 0 };
      bySystem.set(pipeline, entry);
    }
    return entry;
  };
  for (const run of written) {
    if (run.raw) totals(run.raw.partition.pipeline).ingested += run.raw.records.length;
    for (const quarantine of run.quarantines) {
      totals(quarantine.pipeline).quarantined += quarantine.entries.length;
      const reasons = byReason.get(quarantine.pipeline) ?? new Map<string, number>();
      byReason.set(quarantine.pipeline, reasons);
      for (const entry of quarantine.entries) {
        const reason = reasonDimension(entry.reason);
        reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      }
    }
  }
  const sets: MetricSet[] = [];
  for (const [pipeline, { ingested, quarantined }] of [...bySystem].sort(([a], [b]) => a.localeCompare(b))) {
    sets.push(
      metricSet(namespace, { [PlatformDimension.pipeline]: pipeline }, [
        { name: PlatformMetricName.recordsIngested, value: ingested, unit: 'Count' },
        { name: PlatformMetricName.recordsQuarantined, value: quarantined, unit: 'Count' },
      ]),
    );
    for (const [reason, count] of [...(byReason.get(pipeline) ?? [])].sort(([a], [b]) => a.localeCompare(b)))
      sets.push(
        metricSet(namespace, { [PlatformDimension.pipeline]: pipeline, [PlatformDimension.reason]: reason }, [
          { name: PlatformMetricName.recordsQuarantined, value: count, unit: 'Count' },
        ]),
      );
  }
  return sets;
}

/** A score's value of the deciding metric, when it has a usable one. */
function decidingValue(score: ChallengeResult['champion'], metric: string): number | undefined {
  if (!score || 'failed' in score || score.unusable) return undefined;
  const value = score.metrics[metric];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/**
 * What the promote step publishes for one decision: `Promoted` (1 or 0) by system and model, and
 * the challenger's and the champion's value of the rule's deciding metric by system, model and
 * that metric's name. A score that could not be computed (a failed or unusable model, no champion
 * yet) is left out rather than published as a number it is not.
 */
export function promotionMetricSets(
  namespace: string,
  challenge: ChallengeResult,
  outcome: PromotionOutcome,
): MetricSet[] {
  const model = {
    [PlatformDimension.pipeline]: challenge.pipeline,
    [PlatformDimension.model]: challenge.model,
  };
  const sets = [
    metricSet(
      namespace,
      model,
      [{ name: PlatformMetricName.promoted, value: outcome.promoted ? 1 : 0, unit: 'Count' }],
      {
        properties: {
          runId: outcome.runId,
          challengerVersion: outcome.challengerVersion,
          championVersion: outcome.championVersion ?? 'none',
        },
      },
    ),
  ];
  const metric = challenge.rule.metric;
  const scores = [
    { name: PlatformMetricName.challengerScore, value: decidingValue(challenge.challenger, metric) },
    { name: PlatformMetricName.championScore, value: decidingValue(challenge.champion, metric) },
  ].flatMap(({ name, value }) => (value === undefined ? [] : [{ name, value, unit: 'None' as const }]));
  if (scores.length > 0)
    sets.push(metricSet(namespace, { ...model, [PlatformDimension.decidingMetric]: metric }, scores));
  return sets;
}
