import type { ModelRegistry } from '../registry/model-registry.js';
import type { ChallengeResult } from './challenge.js';
import { decidePromotion } from './promotion-rule.js';

export interface PromotionOutcome {
  readonly runId: string;
  readonly pipeline: string;
  readonly model: string;
  readonly promoted: boolean;
  readonly reason: string;
  /** The champion after this step. */
  readonly championVersion: string | null;
  readonly challengerVersion: string;
}

/**
 * Applies the rule to a challenge's scores and promotes through the registry's pointer swap,
 * only over the champion the challenger was compared with: a champion promoted meanwhile by
 * another run was never judged against this challenger, so that run wins and the reason says so.
 */
export async function promoteIfBetter(
  registry: ModelRegistry,
  challenge: ChallengeResult,
): Promise<PromotionOutcome> {
  const decision = decidePromotion({
    challenger: challenge.challenger,
    ...(challenge.champion ? { champion: challenge.champion } : {}),
    rule: challenge.rule,
  });
  let promoted = false;
  let reason = decision.reason;
  if (decision.promote) {
    const result = await registry.promote(challenge.challenger.version, {
      reason: decision.reason,
      expectedChampion: challenge.champion?.version ?? null,
    });
    promoted = result.promoted;
    // Another run may have won the pointer in the meantime: that is an outcome, not an error,
    // and the reason must not read as a promotion.
    if (!result.promoted)
      reason = `another run changed the champion first (${result.reason}); this challenger was compared with the champion before it only, so it stays a registered version`;
  }
  const champion = await registry.champion();
  return {
    runId: challenge.runId,
    pipeline: challenge.pipeline,
    model: challenge.model,
    promoted,
    reason,
    championVersion: champion?.version ?? null,
    challengerVersion: challenge.challenger.version,
  };
}
