import { describe, expect, it } from 'vitest';
import { fitSarimax } from '../../../core/forecasting/fit.js';
import { candidateOrders } from '../../../core/forecasting/order.js';
import type { OrderSearch } from '../../../core/forecasting/types.js';
import { syntheticHourly } from './fixtures.js';

const search = (overrides: Partial<OrderSearch> = {}): OrderSearch => ({
  maxP: 2,
  maxQ: 1,
  maxSeasonalP: 0,
  maxSeasonalQ: 0,
  d: 0,
  D: 0,
  s: 0,
  budgetMs: 60_000,
  ...overrides,
});

describe('order search', () => {
  it('tries the small orders first', () => {
    // Act
    const orders = candidateOrders(search({ maxSeasonalP: 1, s: 24 }));
    // Assess
    expect(orders[0]).toMatchObject({ p: 0, q: 1, P: 0, Q: 0 });
    const sizes = orders.map((o) => o.p + o.q + o.P + o.Q);
    expect(sizes).toEqual([...sizes].sort((a, b) => a - b));
    expect(orders).toHaveLength(2 * 3 * 2 - 1);
  });

  it('picks the lowest AIC among the successful attempts', async () => {
    // Prepare
    const data = syntheticHourly(400, 10);
    // Act
    const outcome = await fitSarimax(data.series, {
      order: search(),
      timeLimitMs: 20_000,
      logTransform: false,
      maxPoints: 7_000,
    });
    // Assess
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.attempts).toHaveLength(5);
    const ok = outcome.attempts.filter((a) => a.ok);
    const lowest = Math.min(...ok.map((a) => a.aic as number));
    expect(outcome.artifact.aic).toBe(lowest);
    const winner = ok.find((a) => a.aic === lowest);
    expect(outcome.artifact.order).toEqual(winner?.order);
  });

  it('a tiny budget still tries one order, then stops', async () => {
    // Prepare
    const data = syntheticHourly(400, 11);
    // Act
    const outcome = await fitSarimax(data.series, {
      order: search({ budgetMs: 1 }),
      timeLimitMs: 20_000,
      logTransform: false,
      maxPoints: 7_000,
    });
    // Assess
    expect(outcome.attempts).toHaveLength(1);
    expect(outcome.ok).toBe(true);
    expect(outcome.attempts[0]?.order).toMatchObject({ p: 0, q: 1 });
  });
});
