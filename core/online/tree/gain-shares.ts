/**
 * Split importance as both Hoeffding trees report it: each feature's share of the total gain of
 * all splits (so the shares sum to 1), 0 for a feature seen but never split on, and all 0 before
 * the first split.
 */
export function gainShares(
  gains: ReadonlyMap<string, number>,
  features: Iterable<string>,
): Record<string, number> {
  let total = 0;
  for (const gain of gains.values()) total += gain;
  const out: Record<string, number> = {};
  for (const name of features) out[name] = total > 0 ? (gains.get(name) ?? 0) / total : 0;
  return out;
}
