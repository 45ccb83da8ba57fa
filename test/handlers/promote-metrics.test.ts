import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3ObjectStore } from '../../adapters/s3-object-store.js';
import { DEFAULT_METRICS_NAMESPACE } from '../../core/metrics/platform-metrics.js';
import { ModelRegistry } from '../../core/registry/model-registry.js';
import { tallySystem } from '../fixtures/systems/tally/system.js';
import { startTestEmulators, type TestEmulators } from '../support/emulators.js';
import { registerInput } from '../unit/registry/registry-fixtures.js';

/**
 * The promote step's decisions as CloudWatch metrics, for a system the platform has never heard
 * of (the test fixture `tally`): the metric names come from the platform, the deciding metric's
 * name from the system's own rule.
 */
let emulators: TestEmulators;
let decide: (event: unknown) => Promise<unknown>;
let registry: ModelRegistry;
let metricsDir: string;
const MODEL = tallySystem.models[0] ?? 'none';
const rule = { metric: 'missedTallies', better: 'lower', margin: { kind: 'absolute', value: 1 } };

interface EmfRecord extends Record<string, unknown> {
  _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] };
}

function published(): EmfRecord[] {
  return readFileSync(path.join(metricsDir, 'metrics.ndjson'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as EmfRecord);
}

/**
 * A record's namespace, dimensions (exactly the set CloudWatch files the metrics under, the
 * dashboard's graphs name the same) and metric values.
 */
function summary(record: EmfRecord) {
  const [directive] = record._aws.CloudWatchMetrics;
  expect(directive?.Dimensions).toHaveLength(1);
  const dimensions = directive?.Dimensions[0] ?? [];
  return {
    namespace: directive?.Namespace,
    dimensions: Object.fromEntries(dimensions.map((name) => [name, record[name]])),
    metrics: Object.fromEntries((directive?.Metrics ?? []).map(({ Name }) => [Name, record[Name]])),
  };
}

/** What a train step returns and the state machine hands to `promote` as `$.train.result`. */
function trainResult(runId: string, challenger: string, missed: number, champion?: [string, number]) {
  return {
    pipeline: tallySystem.name,
    model: MODEL,
    runId,
    challenger: { version: challenger, label: `c-${runId}`, metrics: { missedTallies: missed } },
    ...(champion
      ? { champion: { version: champion[0], label: 'champion', metrics: { missedTallies: champion[1] } } }
      : {}),
    rule,
  };
}

const decideOn = (result: ReturnType<typeof trainResult>) =>
  decide({ action: 'decide', input: { train: { result } }, execution: { name: result.runId } });

beforeAll(async () => {
  emulators = await startTestEmulators({ kinesis: false });
  // As the stack sets it (the function's key); Powertools adds it as the `service` dimension.
  process.env.POWERTOOLS_SERVICE_NAME = 'promote';
  metricsDir = mkdtempSync(path.join(tmpdir(), 'smlp-promote-metrics-'));
  process.env.METRICS_FILE = path.join(metricsDir, 'metrics.ndjson');
  // No METRICS_NAMESPACE, as locally: the default namespace.
  delete process.env.METRICS_NAMESPACE;
  const promote = await import('../../lambdas/promote/index.js');
  decide = promote.createHandler([tallySystem]);
  registry = new ModelRegistry({
    store: new S3ObjectStore(emulators.s3, emulators.artifactsBucket),
    pipeline: tallySystem.name,
    model: MODEL,
  });
});
afterAll(async () => {
  delete process.env.POWERTOOLS_SERVICE_NAME;
  delete process.env.METRICS_FILE;
  rmSync(metricsDir, { recursive: true, force: true });
  await emulators?.stop();
});

describe('promote metrics', () => {
  it('publishes each decision (1 promoted, 0 kept) and both values of the rule metric, by system and model', async () => {
    // Prepare: three registered versions
    const [first, second, third] = [
      await registry.register(registerInput()),
      await registry.register(registerInput()),
      await registry.register(registerInput()),
    ];
    if (!first || !second || !third) throw new Error('registration failed');

    // Act: the first model (no champion), a better one, then a worse one
    await decideOn(trainResult('run-1', first.version, 4));
    await decideOn(trainResult('run-2', second.version, 1, [first.version, 4]));
    await decideOn(trainResult('run-3', third.version, 3, [second.version, 1]));

    // Assess
    const model = { service: 'promote', Pipeline: tallySystem.name, Model: MODEL };
    const scores = { ...model, DecidingMetric: 'missedTallies' };
    const ns = DEFAULT_METRICS_NAMESPACE;
    expect(published().map(summary)).toEqual([
      { namespace: ns, dimensions: model, metrics: { Promoted: 1 } },
      { namespace: ns, dimensions: scores, metrics: { ChallengerScore: 4 } },
      { namespace: ns, dimensions: model, metrics: { Promoted: 1 } },
      { namespace: ns, dimensions: scores, metrics: { ChallengerScore: 1, ChampionScore: 4 } },
      { namespace: ns, dimensions: model, metrics: { Promoted: 0 } },
      { namespace: ns, dimensions: scores, metrics: { ChallengerScore: 3, ChampionScore: 1 } },
    ]);
    expect(published()[4]).toMatchObject({
      runId: 'run-3',
      challengerVersion: third.version,
      championVersion: second.version,
    });
  });
});
