/**
 * Champion/challenger decision. Both are judged on the same data: the champion's order refitted
 * on the challenger's training window (so AICs are comparable) and both forecasting the same
 * held-out recent window. The original system compared AICs of models fitted on different data,
 * which says nothing; this rule is configurable and always gives its reason.
 */
export interface PromotionRule {
  /** The challenger's holdout MAE must beat the champion's by at least this share (0.01 = 1%). */
  minRelativeImprovement: number;
  /** Also require the challenger's AIC (same window) to be no worse than the champion refit's. */
  requireAicNotWorse: boolean;
}

export const defaultPromotionRule: PromotionRule = { minRelativeImprovement: 0.01, requireAicNotWorse: true };

export interface CandidateScore {
  version?: string;
  order: string;
  aic: number;
  holdoutMae: number;
}

export interface Decision {
  promote: boolean;
  reason: string;
}

const fmt = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(1) : x.toPrecision(4));

export function decidePromotion(input: {
  challenger: CandidateScore | { failed: string };
  /** The champion's order refitted on the same window; absent when there is no champion yet. */
  champion?: CandidateScore | { failed: string };
  rule: PromotionRule;
}): Decision {
  const { challenger, champion, rule } = input;
  if ('failed' in challenger)
    return { promote: false, reason: `challenger fit failed (${challenger.failed}); champion kept` };
  if (!champion)
    return {
      promote: true,
      reason: `no champion yet; challenger ${challenger.order} (holdout MAE ${fmt(challenger.holdoutMae)}) promoted`,
    };
  if ('failed' in champion) {
    return {
      promote: true,
      reason: `champion's order could not be refitted on the new window (${champion.failed}); challenger promoted`,
    };
  }
  const improvement = (champion.holdoutMae - challenger.holdoutMae) / champion.holdoutMae;
  const maeText = `holdout MAE ${fmt(challenger.holdoutMae)} vs champion ${fmt(champion.holdoutMae)} (${improvement >= 0 ? '−' : '+'}${Math.abs(improvement * 100).toFixed(1)}%)`;
  const aicText = `AIC ${fmt(challenger.aic)} vs ${fmt(champion.aic)} on the same window`;
  if (!(improvement >= rule.minRelativeImprovement)) {
    return {
      promote: false,
      reason: `${maeText}: not better by ${(rule.minRelativeImprovement * 100).toFixed(1)}%; champion kept (${aicText})`,
    };
  }
  if (rule.requireAicNotWorse && challenger.aic > champion.aic) {
    return { promote: false, reason: `${maeText} but ${aicText} is worse; champion kept` };
  }
  return { promote: true, reason: `${maeText}, ${aicText}: challenger promoted` };
}
