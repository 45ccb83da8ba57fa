import { seededRandom } from '../../data/seeded-random.js';

/**
 * One independent mulberry32 stream per (seed, run index), mixed with the splitmix32 finaliser,
 * so run r of a fit does not depend on how many numbers runs 0..r-1 consumed.
 */
export function runRandom(seed: number, run: number): () => number {
  let z = (seed >>> 0) ^ Math.imul(run + 1, 0x9e3779b9);
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return seededRandom((z ^ (z >>> 16)) >>> 0);
}
