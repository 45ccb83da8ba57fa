/**
 * Seeded PRNG for the forest: mulberry32 for the stream, splitmix32 to derive one independent
 * stream per tree from (seed, tree index). Tree t therefore does not depend on how many random
 * numbers trees 0..t-1 consumed, which keeps a forest reproducible even if trees are ever grown
 * in a different order or in parallel.
 */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform integer in [0, n); n must be below 2^32. */
  nextInt(n: number): number {
    return Math.floor((this.nextUint32() / 4294967296) * n);
  }
}

/** splitmix32 finaliser: a well-mixed 32-bit seed for stream `index` of a forest seeded with `seed`. */
export function deriveSeed(seed: number, index: number): number {
  let z = (seed >>> 0) ^ Math.imul(index + 1, 0x9e3779b9);
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}
