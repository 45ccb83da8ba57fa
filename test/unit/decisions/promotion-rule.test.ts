import { describe, expect, it } from 'vitest';
import { decidePromotion, defaultPromotionRule } from '../../../core/decisions/promotion-rule.js';

const score = (holdoutMae: number, aic: number) => ({ order: '(1,0,1)(1,1,1)24', holdoutMae, aic });

describe('champion/challenger decision', () => {
  it('promotes a challenger better by more than the margin on the same data, with both numbers in the reason', () => {
    // Act
    const decision = decidePromotion({
      challenger: score(0.9, -100),
      champion: score(1, -90),
      rule: defaultPromotionRule,
    });
    // Assess
    expect(decision).toEqual({
      promote: true,
      reason:
        'holdout MAE 0.9000 vs champion 1.000 (−10.0%), AIC -100.0 vs -90.00 on the same window: challenger promoted',
    });
  });

  it('keeps the champion when the challenger is worse', () => {
    // Act
    const decision = decidePromotion({
      challenger: score(1.2, -100),
      champion: score(1, -90),
      rule: defaultPromotionRule,
    });
    // Assess
    expect(decision.promote).toBe(false);
    expect(decision.reason).toMatch(/\(\+20\.0%\): not better by 1\.0%; champion kept/);
  });

  it('keeps the champion when the improvement is below the margin', () => {
    // Act / Assess
    expect(
      decidePromotion({ challenger: score(0.995, -100), champion: score(1, -90), rule: defaultPromotionRule })
        .promote,
    ).toBe(false);
  });

  it('keeps the champion when the AIC on the same window is worse and the rule requires it', () => {
    // Act
    const strict = decidePromotion({
      challenger: score(0.5, -80),
      champion: score(1, -90),
      rule: defaultPromotionRule,
    });
    const lenient = decidePromotion({
      challenger: score(0.5, -80),
      champion: score(1, -90),
      rule: { ...defaultPromotionRule, requireAicNotWorse: false },
    });
    // Assess
    expect(strict).toMatchObject({
      promote: false,
      reason: expect.stringContaining('is worse; champion kept'),
    });
    expect(lenient.promote).toBe(true);
  });

  it('never promotes a failed fit', () => {
    // Act
    const decision = decidePromotion({
      challenger: { failed: 'return code 15' },
      rule: defaultPromotionRule,
    });
    // Assess
    expect(decision).toEqual({
      promote: false,
      reason: 'challenger fit failed (return code 15); champion kept',
    });
  });

  it('promotes the first model when there is no champion yet', () => {
    // Act / Assess
    expect(decidePromotion({ challenger: score(1, -1), rule: defaultPromotionRule }).promote).toBe(true);
  });
});
