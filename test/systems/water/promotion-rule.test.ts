import { describe, expect, it } from 'vitest';
import { decidePromotion, type ModelScore } from '../../../core/lifecycle/index.js';
import { parseForecastSettings } from '../../../systems/water/model/forecast-settings.js';
import { defaultWaterRule, waterPromotionRule } from '../../../systems/water/model/promotion-rule.js';

/** Water's rule (holdout MAE better by a share, AIC not worse) in the shared lifecycle's decision. */
const rule = waterPromotionRule(defaultWaterRule);
const score = (holdoutMae: number, aic: number, label = '(1,0,1)(1,1,1)24'): ModelScore => ({
  label,
  metrics: { holdoutMae, holdoutRmse: holdoutMae * 1.2, holdoutMape: 10, aic },
});

describe("water's champion/challenger rule", () => {
  it('is the generic rule on holdout MAE with a relative margin and AIC not worse, from the input fields', () => {
    // Act
    const settings = parseForecastSettings({
      rule: { minRelativeImprovement: 0.05, requireAicNotWorse: false },
    });
    // Assess
    expect(rule).toEqual({
      metric: 'holdoutMae',
      better: 'lower',
      margin: { kind: 'relative', value: 0.01 },
      notWorse: [{ metric: 'aic', better: 'lower' }],
    });
    expect(settings.rule).toEqual({
      metric: 'holdoutMae',
      better: 'lower',
      margin: { kind: 'relative', value: 0.05 },
      notWorse: [],
    });
    expect(parseForecastSettings({}).rule).toEqual(rule);
  });

  it('promotes a challenger better by more than the margin on the same data, with both numbers in the reason', () => {
    // Act
    const decision = decidePromotion({
      challenger: score(0.9, -100, '(2,0,1)(1,1,1)24'),
      champion: score(1, -90),
      rule,
    });
    // Assess
    expect(decision.promote).toBe(true);
    expect(decision.reason).toContain(
      'holdoutMae 0.9000 ((2,0,1)(1,1,1)24) vs champion 1.000 ((1,0,1)(1,1,1)24)',
    );
    expect(decision.reason).toContain('better by 10.0%');
    expect(decision.reason).toContain('aic -100.0 vs -90.00 not worse');
    expect(decision.reason).toMatch(/promoted$/);
  });

  it('keeps the champion when the challenger is worse', () => {
    // Act
    const decision = decidePromotion({ challenger: score(1.2, -100), champion: score(1, -90), rule });
    // Assess
    expect(decision.promote).toBe(false);
    expect(decision.reason).toMatch(/worse by 20\.0%, required: better by 1\.0%; champion kept$/);
  });

  it('keeps the champion when the improvement is below the margin', () => {
    // Act
    const decision = decidePromotion({ challenger: score(0.995, -100), champion: score(1, -90), rule });
    // Assess
    expect(decision.promote).toBe(false);
    expect(decision.reason).toMatch(/better by 0\.5%, required: better by 1\.0%; champion kept$/);
  });

  it('keeps the champion when the AIC on the same window is worse and the rule requires it', () => {
    // Act
    const strict = decidePromotion({ challenger: score(0.5, -80), champion: score(1, -90), rule });
    const lenient = decidePromotion({
      challenger: score(0.5, -80),
      champion: score(1, -90),
      rule: waterPromotionRule({ ...defaultWaterRule, requireAicNotWorse: false }),
    });
    // Assess
    expect(strict).toMatchObject({
      promote: false,
      reason: expect.stringMatching(/aic -80\.00 vs -90\.00 is worse; champion kept$/),
    });
    expect(lenient.promote).toBe(true);
    expect(lenient.reason).toContain('promoted');
  });

  it('never promotes a failed fit', () => {
    // Act
    const decision = decidePromotion({
      challenger: { failed: 'return code 15' },
      champion: score(1, -90),
      rule,
    });
    // Assess
    expect(decision.promote).toBe(false);
    expect(decision.reason).toContain('return code 15');
    expect(decision.reason).toMatch(/champion kept$/);
  });

  it('promotes the first model when there is no champion yet', () => {
    // Act
    const decision = decidePromotion({ challenger: score(1, -1), rule });
    // Assess
    expect(decision.promote).toBe(true);
    expect(decision.reason).toMatch(/^no champion yet; .*promoted$/);
  });

  it('a challenger whose fit is in doubt never decides: champion kept, and the reason says why', () => {
    // Prepare: far better on the holdout, but a second start found a better optimum of its fit.
    const challenger = { ...score(1, -2), doubt: 'a second start from zero reached -880.96' };
    // Act
    const decision = decidePromotion({ challenger, champion: score(5, -1), rule });
    // Assess
    expect(decision.promote).toBe(false);
    expect(decision.reason).toMatch(
      /may not decide a promotion: its fit is in doubt \(a second start from zero reached -880\.96\); champion kept$/,
    );
  });

  it('a champion refit in doubt does not decide either: the comparison is not trusted, champion kept', () => {
    // Act
    const decision = decidePromotion({
      challenger: score(1, -2),
      champion: { ...score(5, -1), doubt: 'a second start from zero reached more' },
      rule,
    });
    // Assess
    expect(decision.promote).toBe(false);
    expect(decision.reason).toMatch(
      /^champion .* refitted on the same data may not decide a promotion: its fit is in doubt/,
    );
  });

  it('with no champion yet the first model is served even in doubt, and the reason says so', () => {
    // Act
    const decision = decidePromotion({ challenger: { ...score(1, -1), doubt: 'x' }, rule });
    // Assess
    expect(decision.promote).toBe(true);
    expect(decision.reason).toMatch(
      /^no champion yet; .*promoted \(its fit is in doubt: x; the next challenger is compared with it\)$/,
    );
  });
});
