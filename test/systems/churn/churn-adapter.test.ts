import { describe, expect, it } from 'vitest';
import { decidePromotion, promoteIfBetter, runChallenge } from '../../../core/lifecycle/index.js';
import { InMemoryObjectStore } from '../../../core/registry/memory-object-store.js';
import { ModelRegistry } from '../../../core/registry/model-registry.js';
import { churnModelAdapter, parseChurnModel } from '../../../systems/churn/model/churn-adapter.js';
import { type ChurnTrainingData, splitByTime } from '../../../systems/churn/model/training.js';
import {
  churnPromotionRule,
  parseTrainingSettings,
  type TrainingSettings,
} from '../../../systems/churn/model/training-settings.js';
import { days, FAST_SETTINGS, population } from './model-fixtures.js';

/** The churn adapter in the shared lifecycle, with an in-memory registry: the train and promote steps without S3. */
const good = parseTrainingSettings(FAST_SETTINGS);
/** One stump: a clearly worse ranking of the same customers. */
const weak = parseTrainingSettings({ ...FAST_SETTINGS, nTrees: 1, maxDepth: 1 });

function lifecycle() {
  const registry = new ModelRegistry({
    store: new InMemoryObjectStore(),
    pipeline: 'churn',
    model: 'churn-forest',
  });
  const challenge = (settings: TrainingSettings, data: ChurnTrainingData, runId: string) =>
    runChallenge({
      adapter: churnModelAdapter(settings),
      registry,
      data,
      rule: churnPromotionRule(settings),
      runId,
      registration: { trainedOn: [], codeVersion: 'test', parameters: { runId } },
    });
  return { registry, challenge };
}

const data = splitByTime(population({ customers: 500, days: days('2024-03-01', 5), seed: 21 }), good);

describe('churn adapter in the shared champion/challenger lifecycle', () => {
  it('registers and promotes a first model with its holdout metrics, importances and threshold recorded', async () => {
    // Prepare
    const { registry, challenge } = lifecycle();
    // Act
    const outcome = await challenge(good, data, 'run-1');
    if (!outcome.ok) throw new Error(outcome.reason);
    const decision = await promoteIfBetter(registry, outcome.result);
    // Assess
    expect(decision).toMatchObject({ promoted: true, championVersion: outcome.result.challenger.version });
    expect(outcome.result.challenger.metrics.rocAuc).toBeGreaterThan(0.78);
    expect(outcome.result.challenger.metrics.rows).toBe(500);
    const stored = await registry.loadChampion();
    const parameters = stored?.model.metadata.parameters as Record<string, unknown>;
    expect(parameters.kind).toBe('churn-forest');
    expect(parameters.threshold).toBe(outcome.challenger.threshold);
    expect((parameters.topImportances as { feature: string }[])[0]?.feature).toBe('careCalls30d');
    // What the registry stored loads back into a model that scores like the one trained.
    const served = churnModelAdapter(good).deserialize(stored?.model.artifact);
    expect(churnModelAdapter(good).score(served, data).metrics).toEqual(outcome.result.challenger.metrics);
  });

  it('keeps the champion when a worse challenger is scored on the same holdout', async () => {
    // Prepare
    const { registry, challenge } = lifecycle();
    const first = await challenge(good, data, 'run-1');
    if (!first.ok) throw new Error(first.reason);
    await promoteIfBetter(registry, first.result);
    // Act
    const second = await challenge(weak, data, 'run-2');
    if (!second.ok) throw new Error(second.reason);
    const decision = await promoteIfBetter(registry, second.result);
    // Assess
    const champion = second.result.champion;
    expect(champion && 'metrics' in champion ? champion.metrics.rows : undefined).toBe(500);
    expect(second.result.challenger.metrics.rocAuc as number).toBeLessThan(
      (champion && 'metrics' in champion ? champion.metrics.rocAuc : 0) as number,
    );
    expect(decision.promoted).toBe(false);
    expect(decision.reason).toMatch(/^rocAuc .* on the same data: worse by .*champion kept$/);
    expect(decision.championVersion).toBe(first.result.challenger.version);
  });

  it('fails without registering when a part has one class, and rejects a damaged artifact', async () => {
    // Prepare
    const { registry, challenge } = lifecycle();
    const oneClass = { ...data, train: { ...data.train, labels: data.train.labels.map(() => 0) } };
    // Act
    const outcome = await challenge(good, oneClass, 'run-x');
    // Assess
    expect(outcome.ok).toBe(false);
    expect(outcome.ok ? '' : outcome.reason).toMatch(/training part has \d+ rows of one class only/);
    expect(await registry.listVersions()).toEqual([]);
    expect(() => parseChurnModel({ kind: 'kmeans' })).toThrow(/not a churn model/);
    const fine = await churnModelAdapter(good).fit(data, {});
    if (!fine.ok) throw new Error(fine.reason);
    expect(() => parseChurnModel({ ...fine.model, threshold: 1.5 })).toThrow(/threshold must be in \(0, 1\)/);
    expect(() => parseChurnModel({ ...fine.model, forest: { ...fine.model.forest, version: 9 } })).toThrow(
      /damaged: .*version/,
    );
  });
});

describe('churn promotion rule', () => {
  const rule = churnPromotionRule({ minRocAucGain: 0.005, f1Tolerance: 0.02 });
  const score = (rocAuc: number, f1: number) => ({ label: 'm', metrics: { rocAuc, f1 } });

  it('promotes a better ranking whose F1 is within the tolerance, and not one whose F1 falls further', () => {
    expect(decidePromotion({ challenger: score(0.85, 0.49), champion: score(0.84, 0.5), rule }).promote).toBe(
      true,
    );
    const tooWorse = decidePromotion({ challenger: score(0.85, 0.47), champion: score(0.84, 0.5), rule });
    expect(tooWorse.promote).toBe(false);
    expect(tooWorse.reason).toMatch(/f1 0.4700 vs 0.5000 \(tolerance 0.02000\) is worse/);
    expect(decidePromotion({ challenger: score(0.843, 0.6), champion: score(0.84, 0.5), rule }).promote).toBe(
      false,
    );
  });
});
