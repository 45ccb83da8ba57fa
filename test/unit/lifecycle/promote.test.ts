import { describe, expect, it } from 'vitest';
import type { ChallengeResult } from '../../../core/lifecycle/challenge.js';
import { promoteIfBetter } from '../../../core/lifecycle/promote.js';
import type { PromotionRule } from '../../../core/lifecycle/promotion-rule.js';
import { InMemoryObjectStore } from '../../../core/registry/memory-object-store.js';
import { registerInput, testRegistry } from '../registry/registry-fixtures.js';

const rule: PromotionRule = { metric: 'mae', better: 'lower', margin: { kind: 'relative', value: 0.01 } };

function challenge(version: string, champion: string | undefined, mae: number): ChallengeResult {
  return {
    pipeline: 'water',
    model: 'forecast',
    runId: `run-${version}`,
    challenger: { version, label: 'challenger', metrics: { mae } },
    ...(champion ? { champion: { version: champion, label: 'champion', metrics: { mae: 2 } } } : {}),
    rule,
  };
}

describe('promoteIfBetter', () => {
  it('promotes a better challenger over the champion it was compared with, with the reason', async () => {
    // Prepare
    const registry = testRegistry(new InMemoryObjectStore());
    const first = await registry.register(registerInput());
    const second = await registry.register(registerInput());
    await registry.promote(first.version, { reason: 'first' });

    // Act
    const outcome = await promoteIfBetter(registry, challenge(second.version, first.version, 1));

    // Assess
    expect(outcome).toMatchObject({ promoted: true, championVersion: second.version });
    expect(outcome.reason).toMatch(/challenger promoted$/);
  });

  it('says plainly that a challenger which lost a race was not promoted, without a promotion in the reason', async () => {
    // Prepare: two runs compared their challengers with the same champion; one promoted first
    const registry = testRegistry(new InMemoryObjectStore());
    const champion = await registry.register(registerInput());
    const winner = await registry.register(registerInput());
    const loser = await registry.register(registerInput());
    await registry.promote(champion.version, { reason: 'first' });
    await promoteIfBetter(registry, challenge(winner.version, champion.version, 1));

    // Act
    const outcome = await promoteIfBetter(registry, challenge(loser.version, champion.version, 0.5));

    // Assess
    expect(outcome).toMatchObject({ promoted: false, championVersion: winner.version });
    expect(outcome.reason).toMatch(
      /^another run changed the champion first \(lost a concurrent promotion to /,
    );
    expect(outcome.reason).not.toMatch(/challenger promoted|no champion yet/);
  });
});
