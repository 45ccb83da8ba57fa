import { gaussian, seededRandom } from '../../../../../core/data/seeded-random.js';
import type { Features } from '../../../../../core/online/types.js';

/** A type alias, not an interface, so it passes where `Features` (a record of numbers) is expected. */
export type StreamFeatures = { a: number; b: number; rpm: number; noise: number };

export interface RegressionRecord {
  readonly x: StreamFeatures;
  readonly y: number;
}

/**
 * A seeded regression stream: `a`, `b` standard normal, `rpm` in raw units around 1,500, `noise`
 * unrelated; the target is `target(x)` plus N(0, sigma²) noise.
 */
export function regressionStream(
  seed: number,
  count: number,
  target: (x: StreamFeatures, index: number) => number,
  sigma = 0.1,
): RegressionRecord[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, index) => {
    const x = {
      a: gaussian(random),
      b: gaussian(random),
      rpm: 1500 + 50 * gaussian(random),
      noise: gaussian(random),
    };
    return { x, y: target(x, index) + sigma * gaussian(random) };
  });
}

/** Prequential mean absolute error of records [from, to): predict each, then learn it. */
export function prequentialMae(
  model: { predict(x: Features): number; learn(x: Features, y: number): void },
  records: readonly { readonly x: Features; readonly y: number }[],
  from = 0,
  to = records.length,
): number {
  let total = 0;
  records.forEach((record, index) => {
    const prediction = model.predict(record.x);
    if (index >= from && index < to) total += Math.abs(record.y - prediction);
    model.learn(record.x, record.y);
  });
  return total / (to - from);
}
