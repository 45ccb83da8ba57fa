import { describe, expect, it } from 'vitest';
import type { ChallengeResult } from '../../../core/lifecycle/challenge.js';
import type { PromotionOutcome } from '../../../core/lifecycle/promote.js';
import {
  DEFAULT_METRICS_NAMESPACE,
  deploymentMetricsNamespace,
  ingestMetricSets,
  MAX_REASON_DIMENSION_LENGTH,
  promotionMetricSets,
  reasonDimension,
} from '../../../core/metrics/platform-metrics.js';
import type { IngestRun, QuarantineEntry } from '../../../core/streaming/ingest-plan.js';

const NS = 'Test/Namespace';

/** A quarantined record of system `pipeline`, rejected for `reason`. */
function entry(reason: string, pipeline: string | null = 'alpha'): QuarantineEntry {
  return {
    reason,
    pipeline,
    shardId: 'shardId-000000000000',
    sequenceNumber: '1',
    partitionKey: 'pk',
    arrivalTime: '2024-01-01T10:00:00.000Z',
    bytes: 10,
    text: '{}',
    truncated: false,
  };
}

/** A written run: `valid` records of `pipeline` in raw/, and the given quarantines. */
function run(
  pipeline: string | undefined,
  valid: number,
  quarantines: IngestRun['quarantines'] = [],
): IngestRun {
  return {
    firstSequenceNumber: '1',
    sequenceNumbers: [],
    ...(pipeline
      ? {
          raw: {
            key: `raw/${pipeline}/x`,
            partition: { pipeline, day: '2024-01-01', hour: '10' },
            records: Array(valid).fill({}),
          },
        }
      : {}),
    quarantines,
  };
}

/** Name → value of every metric in the sets, keyed by their dimensions. */
function flatten(sets: ReturnType<typeof ingestMetricSets>) {
  return sets.map((set) => ({
    namespace: set.namespace,
    dimensions: set.dimensions,
    values: Object.fromEntries(set.metrics.map((m) => [m.name, m.value])),
  }));
}

describe('deploymentMetricsNamespace', () => {
  it('gives each deployment its own namespace under the default one', () => {
    // Act / Assess
    expect(deploymentMetricsNamespace({ prefix: 'smlp', stage: 'prod' })).toBe(
      `${DEFAULT_METRICS_NAMESPACE}/smlp-prod`,
    );
  });
});

describe('ingestMetricSets', () => {
  it('counts records landed and quarantined per system, and quarantined ones per system and reason', () => {
    // Prepare: two systems, a reason whose values differ between records, one record naming no system
    const written = [
      run('alpha', 3, [
        {
          key: 'quarantine/alpha/x',
          pipeline: 'alpha',
          entries: [entry('value must be >= 0, got -2'), entry('value must be >= 0, got -7')],
        },
      ]),
      run('beta', 2),
      run(undefined, 0, [
        {
          key: 'quarantine/unknown/x',
          pipeline: 'unknown',
          entries: [entry('envelope has no "pipeline" string', null)],
        },
      ]),
      run('alpha', 1),
    ];

    // Act
    const sets = ingestMetricSets(NS, written);

    // Assess
    expect(flatten(sets)).toEqual([
      {
        namespace: NS,
        dimensions: { Pipeline: 'alpha' },
        values: { RecordsIngested: 4, RecordsQuarantined: 2 },
      },
      {
        namespace: NS,
        dimensions: { Pipeline: 'alpha', Reason: 'value must be >= …, got …' },
        values: { RecordsQuarantined: 2 },
      },
      {
        namespace: NS,
        dimensions: { Pipeline: 'beta' },
        values: { RecordsIngested: 2, RecordsQuarantined: 0 },
      },
      {
        namespace: NS,
        dimensions: { Pipeline: 'unknown' },
        values: { RecordsIngested: 0, RecordsQuarantined: 1 },
      },
      {
        namespace: NS,
        dimensions: { Pipeline: 'unknown', Reason: 'envelope has no "…" string' },
        values: { RecordsQuarantined: 1 },
      },
    ]);
    expect(sets.flatMap((set) => set.metrics.map((m) => m.unit))).toEqual(Array(8).fill('Count'));
  });

  it('publishes nothing when nothing was written', () => {
    // Act / Assess
    expect(ingestMetricSets(NS, [])).toEqual([]);
  });

  it('keeps a reason readable as a dimension: values out, record text cut', () => {
    // Prepare
    const fields = Array.from({ length: 60 }, (_, i) => `field${String.fromCharCode(97 + (i % 26))}`).join(
      ', ',
    );

    // Act
    const long = reasonDimension(`envelope has unexpected field(s): ${fields}`);

    // Assess
    expect(reasonDimension('duplicate of the record at sequence number 4960001 in the same batch')).toBe(
      'duplicate of the record at sequence number … in the same batch',
    );
    expect(long).toHaveLength(MAX_REASON_DIMENSION_LENGTH);
    expect(long.endsWith('…')).toBe(true);
    expect(reasonDimension('   ')).toBe('unspecified');
  });
});

describe('promotionMetricSets', () => {
  const rule = { metric: 'score', better: 'lower', margin: { kind: 'relative', value: 0.01 } } as const;
  const challenge = (overrides: Partial<ChallengeResult> = {}): ChallengeResult => ({
    pipeline: 'alpha',
    model: 'm',
    runId: 'run-1',
    challenger: { version: 'v2', label: 'new', metrics: { score: 0.9, other: 5 } },
    champion: { version: 'v1', label: 'old', metrics: { score: 1.2, other: 4 } },
    rule,
    ...overrides,
  });
  const outcome = (promoted: boolean): PromotionOutcome => ({
    runId: 'run-1',
    pipeline: 'alpha',
    model: 'm',
    promoted,
    reason: 'because',
    championVersion: promoted ? 'v2' : 'v1',
    challengerVersion: 'v2',
  });

  it('publishes a promotion as 1 and both sides of the deciding metric, named by the rule', () => {
    // Act
    const sets = promotionMetricSets(NS, challenge(), outcome(true));

    // Assess
    expect(flatten(sets)).toEqual([
      { namespace: NS, dimensions: { Pipeline: 'alpha', Model: 'm' }, values: { Promoted: 1 } },
      {
        namespace: NS,
        dimensions: { Pipeline: 'alpha', Model: 'm', DecidingMetric: 'score' },
        values: { ChallengerScore: 0.9, ChampionScore: 1.2 },
      },
    ]);
    expect(sets[0]?.properties).toEqual({ runId: 'run-1', challengerVersion: 'v2', championVersion: 'v2' });
  });

  it('publishes a champion kept as 0', () => {
    // Act
    const [decision] = promotionMetricSets(NS, challenge(), outcome(false));

    // Assess
    expect(decision?.metrics).toEqual([{ name: 'Promoted', value: 0, unit: 'Count' }]);
  });

  it('leaves out a score that has no value: no champion yet, a champion that failed, an unusable challenger', () => {
    // Prepare
    const { champion: _, ...first } = challenge();

    // Act
    const noChampion = promotionMetricSets(NS, first, outcome(true));
    const failedChampion = promotionMetricSets(
      NS,
      challenge({ champion: { version: 'v1', failed: 'refit failed' } }),
      outcome(true),
    );
    const unusable = promotionMetricSets(
      NS,
      challenge({
        challenger: { version: 'v2', label: 'new', metrics: { score: null }, unusable: 'one cluster' },
        champion: { version: 'v1', label: 'old', metrics: { score: null } },
      }),
      outcome(false),
    );

    // Assess
    expect(noChampion[1]?.metrics.map((m) => m.name)).toEqual(['ChallengerScore']);
    expect(failedChampion[1]?.metrics.map((m) => m.name)).toEqual(['ChallengerScore']);
    expect(unusable.map((set) => set.metrics.map((m) => m.name))).toEqual([['Promoted']]);
  });
});
