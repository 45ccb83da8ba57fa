import { asBag, booleanField, InputError, intField, numberField } from '../../../core/data/input-fields.js';
import { defaultOrderSearch } from '../../../core/forecasting/default-search.js';
import { DEFAULT_MAX_ITERATIONS } from '../../../core/forecasting/estimate.js';
import type { OrderSearch, SarimaxOrder } from '../../../core/forecasting/types.js';
import type { PromotionRule } from '../../../core/lifecycle/index.js';
import { defaultWaterRule, waterPromotionRule } from './promotion-rule.js';

/**
 * How the water system trains, with defaults a console start (`{}`) uses. Every field can be
 * overridden in the state machine input.
 */
export interface ForecastSettings {
  order: SarimaxOrder | OrderSearch;
  /** Hard limit per fit. */
  timeLimitMs: number;
  /**
   * Iterations of each fit's optimiser at most (its first start). Fewer make fits faster but may
   * stop short of the optimum; the second start then says so and the fit does not decide a
   * promotion.
   */
  maxIterations: number;
  logTransform: boolean;
  /** Trailing window of hourly points trained on. */
  maxPoints: number;
  /** Most recent hours held out to score champion and challenger. */
  holdoutHours: number;
  /**
   * Largest share of the window that may be filled by interpolation; more fails with FitFailed.
   * An hour is filled only when every meter missed it, so ordinary outages stay far below 10%
   * (the generated data set fills almost none), while a lost month in the default 4,000-hour
   * window (18%) is refused. Within it, at most one hour in ten of what the fit's likelihood and
   * the holdout scores rest on was never measured.
   */
  maxFilledShare: number;
  /**
   * Longest run of filled hours the window may hold; longer fails with FitFailed. A day is the
   * season of the default order (s = 24, D = 1): up to a day, every seasonal difference
   * y(t) − y(t−24) still has an observed side; beyond it, the model learns a straight line as
   * that day's pattern.
   */
  maxGapHours: number;
  /** The champion/challenger rule, from the input's `rule` fields (see promotion-rule.ts). */
  rule: PromotionRule;
}

export const EXOG_NAMES = ['temperature', 'holiday'];

export const defaultForecastSettings: ForecastSettings = {
  order: { ...defaultOrderSearch },
  timeLimitMs: 120_000,
  maxIterations: DEFAULT_MAX_ITERATIONS,
  logTransform: false,
  maxPoints: 4_000,
  holdoutHours: 48,
  maxFilledShare: 0.1,
  maxGapHours: 24,
  rule: waterPromotionRule(defaultWaterRule),
};

function parseOrder(raw: unknown): SarimaxOrder {
  const bag = asBag(raw, 'order');
  const field = (name: keyof SarimaxOrder, max: number, fallback: number) =>
    intField(bag, name, fallback, 0, max);
  const order = {
    p: field('p', 5, 1),
    d: field('d', 2, 0),
    q: field('q', 5, 1),
    P: field('P', 2, 1),
    D: field('D', 1, 1),
    Q: field('Q', 2, 1),
    s: field('s', 168, 24),
  };
  if (order.s === 0 && order.P + order.D + order.Q > 0)
    throw new InputError('order.s must be > 0 when P, D or Q is');
  return order;
}

function parseSearch(raw: unknown): OrderSearch {
  const bag = asBag(raw, 'search');
  const d = defaultOrderSearch;
  return {
    maxP: intField(bag, 'maxP', d.maxP, 0, 4),
    maxQ: intField(bag, 'maxQ', d.maxQ, 0, 4),
    maxSeasonalP: intField(bag, 'maxSeasonalP', d.maxSeasonalP, 0, 2),
    maxSeasonalQ: intField(bag, 'maxSeasonalQ', d.maxSeasonalQ, 0, 2),
    d: intField(bag, 'd', d.d, 0, 2),
    D: intField(bag, 'D', d.D, 0, 1),
    s: intField(bag, 's', d.s, 0, 168),
    budgetMs: intField(bag, 'budgetSeconds', d.budgetMs / 1000, 1, 840) * 1000,
  };
}

/** `order` (fixed) wins over `search`; neither means the default search. */
export function parseForecastSettings(input: unknown): ForecastSettings {
  const bag = asBag(input, 'training input');
  const d = defaultForecastSettings;
  const ruleBag = asBag(bag.rule, 'rule');
  return {
    order:
      bag.order !== undefined
        ? parseOrder(bag.order)
        : bag.search !== undefined
          ? parseSearch(bag.search)
          : d.order,
    timeLimitMs: intField(bag, 'timeLimitSeconds', d.timeLimitMs / 1000, 1, 840) * 1000,
    maxIterations: intField(bag, 'maxIterations', d.maxIterations, 1, 10_000),
    logTransform: booleanField(bag, 'logTransform', d.logTransform),
    maxPoints: intField(bag, 'maxPoints', d.maxPoints, 200, 8_000),
    holdoutHours: intField(bag, 'holdoutHours', d.holdoutHours, 1, 24 * 14),
    maxFilledShare: numberField(bag, 'maxFilledShare', d.maxFilledShare, 0, 1),
    maxGapHours: intField(bag, 'maxGapHours', d.maxGapHours, 0, 8_000),
    rule: waterPromotionRule({
      minRelativeImprovement: numberField(
        ruleBag,
        'minRelativeImprovement',
        defaultWaterRule.minRelativeImprovement,
        -1,
        1,
      ),
      requireAicNotWorse: booleanField(ruleBag, 'requireAicNotWorse', defaultWaterRule.requireAicNotWorse),
    }),
  };
}
