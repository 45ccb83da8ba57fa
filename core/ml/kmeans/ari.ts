import { KMeansInputError } from './errors.js';

/**
 * Adjusted Rand index of two labelings of the same items (Hubert & Arabie 1985): 1 for identical
 * partitions whatever the label names, about 0 for random ones, negative for worse than chance.
 * Like scikit-learn it is 1 when both partitions are trivial in the same way (one cluster each, or
 * all singletons), where the formula is 0/0.
 */
export function adjustedRandIndex(
  labelsA: ArrayLike<number | string>,
  labelsB: ArrayLike<number | string>,
): number {
  if (labelsA.length !== labelsB.length)
    throw new KMeansInputError(`labelings differ in length: ${labelsA.length} vs ${labelsB.length}`);
  const n = labelsA.length;
  const idsA = new Map<number | string, number>();
  const idsB = new Map<number | string, number>();
  const a = new Int32Array(n);
  const b = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const la = labelsA[i] as number | string;
    const lb = labelsB[i] as number | string;
    if (!idsA.has(la)) idsA.set(la, idsA.size);
    if (!idsB.has(lb)) idsB.set(lb, idsB.size);
    a[i] = idsA.get(la) as number;
    b[i] = idsB.get(lb) as number;
  }
  const rows = idsA.size;
  const cols = idsB.size;
  const table = new Float64Array(rows * cols);
  const rowSums = new Float64Array(rows);
  const colSums = new Float64Array(cols);
  for (let i = 0; i < n; i++) {
    const r = a[i] as number;
    const c = b[i] as number;
    table[r * cols + c] = (table[r * cols + c] as number) + 1;
    rowSums[r] = (rowSums[r] as number) + 1;
    colSums[c] = (colSums[c] as number) + 1;
  }
  const pairs = (m: number) => (m * (m - 1)) / 2;
  let index = 0;
  for (const cell of table) index += pairs(cell);
  let sumA = 0;
  for (const s of rowSums) sumA += pairs(s);
  let sumB = 0;
  for (const s of colSums) sumB += pairs(s);
  const total = pairs(n);
  const expected = total > 0 ? (sumA * sumB) / total : 0;
  const max = (sumA + sumB) / 2;
  if (max === expected) return 1;
  return (index - expected) / (max - expected);
}
