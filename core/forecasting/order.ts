import { MAX_STATE_SIZE } from './limits.js';
import type { OrderSearch, SarimaxOrder } from './types.js';

/** True when the option is a search rather than a fixed order. */
export function isSearch(order: SarimaxOrder | OrderSearch): order is OrderSearch {
  return 'budgetMs' in order;
}

/** Without seasonal terms the period means nothing: the library then uses s = 0, so do we. */
export function normalizeOrder(order: SarimaxOrder): SarimaxOrder {
  return order.P + order.D + order.Q === 0 ? { ...order, s: 0 } : { ...order };
}

export function describeOrder(order: SarimaxOrder): string {
  const seasonal = order.s > 0 ? `(${order.P},${order.D},${order.Q})${order.s}` : '';
  return `(${order.p},${order.d},${order.q})${seasonal}`;
}

function wholeInRange(name: string, value: unknown, min: number, max: number): void {
  if (!(typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max))
    throw new Error(`${name} must be a whole number in [${min}, ${max}], got ${String(value)}`);
}

/** Bounds that keep one fit tractable; the library itself accepts more but becomes very slow. */
export function validateOrder(order: SarimaxOrder): SarimaxOrder {
  wholeInRange('order.p', order.p, 0, 5);
  wholeInRange('order.d', order.d, 0, 2);
  wholeInRange('order.q', order.q, 0, 5);
  wholeInRange('order.P', order.P, 0, 2);
  wholeInRange('order.D', order.D, 0, 1);
  wholeInRange('order.Q', order.Q, 0, 2);
  wholeInRange('order.s', order.s, 0, 8_784);
  const seasonal = order.P + order.D + order.Q > 0;
  if (seasonal && order.s < 2)
    throw new Error(`seasonal terms (P, D, Q) need a period s >= 2, got s = ${order.s}`);
  // AS 182 needs at least one AR or MA coefficient: a pure (differenced) white noise has no state.
  if (order.p + order.q + order.P + order.Q === 0)
    throw new Error(`order ${describeOrder(order)} has no AR or MA term; use at least p or q = 1`);
  const normal = normalizeOrder(order);
  const r = stateSize(normal);
  if (r > MAX_STATE_SIZE)
    throw new Error(
      `order ${describeOrder(normal)} needs a state of ${r} (max(p + s·P, q + s·Q + 1)); the limit is ${MAX_STATE_SIZE}`,
    );
  return normal;
}

export function stateSize(order: SarimaxOrder): number {
  return Math.max(order.p + order.s * order.P, order.q + order.s * order.Q + 1);
}

/** The shortest series the library accepts for an order (the package's own guard). */
export function minimumLength(order: SarimaxOrder): number {
  return order.d + order.s * order.D + Math.max(order.p + order.q, 2 * order.s, 10);
}

/**
 * The orders a search tries, smallest first: fewer coefficients fit faster and win ties on AIC
 * anyway, so with a short budget the cheap, robust models are the ones that get tried.
 */
export function candidateOrders(search: OrderSearch): SarimaxOrder[] {
  wholeInRange('search.maxP', search.maxP, 0, 5);
  wholeInRange('search.maxQ', search.maxQ, 0, 5);
  wholeInRange('search.maxSeasonalP', search.maxSeasonalP, 0, 2);
  wholeInRange('search.maxSeasonalQ', search.maxSeasonalQ, 0, 2);
  if (!(Number.isFinite(search.budgetMs) && search.budgetMs > 0))
    throw new Error(`search.budgetMs must be a positive number, got ${search.budgetMs}`);
  const seasonalAllowed = search.s >= 2;
  const orders: SarimaxOrder[] = [];
  for (let p = 0; p <= search.maxP; p++)
    for (let q = 0; q <= search.maxQ; q++)
      for (let P = 0; P <= (seasonalAllowed ? search.maxSeasonalP : 0); P++)
        for (let Q = 0; Q <= (seasonalAllowed ? search.maxSeasonalQ : 0); Q++) {
          if (p + q + P + Q === 0) continue;
          orders.push({ p, d: search.d, q, P, D: search.D, Q, s: search.s });
        }
  const size = (o: SarimaxOrder) => o.p + o.q + o.P + o.Q;
  orders.sort((a, b) => size(a) - size(b) || a.P + a.Q - (b.P + b.Q) || a.p - b.p || a.q - b.q);
  if (orders.length === 0) throw new Error('the search allows no order with an AR or MA term');
  return orders.map(validateOrder);
}
