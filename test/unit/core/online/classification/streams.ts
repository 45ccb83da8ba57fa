import { seededRandom } from '../../../../../core/data/seeded-random.js';
import type { Features } from '../../../../../core/online/types.js';

export interface LabelledRecord {
  readonly x: Features;
  readonly y: 0 | 1;
}

/**
 * Seeded standard normal draws (Box–Muller on 1 − u, so u = 0 is harmless), every stream here the
 * same on every run. Not core's `gaussian` (log u, u clamped), whose draws differ from these,
 * which the tests' expectations were set on.
 */
export function seededNormal(seed: number): () => number {
  const uniform = seededRandom(seed);
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

/**
 * Two informative features (`signal` on its own scale, `helper`) and two noise features; the
 * class is the sign of signal + 2·helper plus `noise`. With `flipAt`, the concept inverts there
 * (an abrupt drift: the same inputs now mean the other class).
 */
export function linearStream(options: {
  seed: number;
  count: number;
  noise?: number;
  flipAt?: number;
}): LabelledRecord[] {
  const normal = seededNormal(options.seed);
  const out: LabelledRecord[] = [];
  for (let i = 0; i < options.count; i++) {
    const x = { signal: normal() * 3 + 10, helper: normal(), noise1: normal() * 5, noise2: normal() };
    const sign = options.flipAt !== undefined && i >= options.flipAt ? -1 : 1;
    const score = sign * (x.signal - 10 + 2 * x.helper) + (options.noise ?? 0) * normal();
    out.push({ x, y: score > 0 ? 1 : 0 });
  }
  return out;
}

/** A threshold concept on one feature among noise: y = 1 when `key` > 0.3 (with `noise` flips). */
export function thresholdStream(options: { seed: number; count: number; noise?: number }): LabelledRecord[] {
  const uniform = seededRandom(options.seed);
  const out: LabelledRecord[] = [];
  for (let i = 0; i < options.count; i++) {
    const x = {
      key: uniform() * 2 - 1,
      noiseA: uniform() * 2 - 1,
      noiseB: uniform() * 10,
      noiseC: uniform(),
    };
    let y: 0 | 1 = x.key > 0.3 ? 1 : 0;
    if (uniform() < (options.noise ?? 0)) y = y === 1 ? 0 : 1;
    out.push({ x, y });
  }
  return out;
}

/** Prequential accuracy: predict each record, then learn it; share of records predicted right. */
export function prequentialAccuracy(
  model: { predictProbability(x: Features): number; learn(x: Features, y: 0 | 1): void },
  records: readonly LabelledRecord[],
  from = 0,
): number {
  let correct = 0;
  let counted = 0;
  records.forEach(({ x, y }, i) => {
    const predicted = model.predictProbability(x) > 0.5 ? 1 : 0;
    if (i >= from) {
      counted += 1;
      if (predicted === y) correct += 1;
    }
    model.learn(x, y);
  });
  return correct / counted;
}
