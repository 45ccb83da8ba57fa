/**
 * Eigen-decomposition of a small symmetric matrix by cyclic Jacobi rotations. For the ~25×25
 * covariance matrices of the drift check this is exact to rounding and a few milliseconds, and
 * it keeps core/ free of a linear-algebra dependency.
 */
export interface SymmetricEigen {
  /** Descending. */
  readonly values: number[];
  /** vectors[k] is the unit eigenvector of values[k]. */
  readonly vectors: number[][];
}

export function symmetricEigen(matrix: readonly (readonly number[])[], tolerance = 1e-12): SymmetricEigen {
  const n = matrix.length;
  for (const row of matrix)
    if (row.length !== n)
      throw new Error(`eigen-decomposition needs a square matrix; got a row of ${row.length} in ${n}×${n}`);
  const a = matrix.map((row) => [...row]);
  const v = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  const at = (r: number, c: number) => (a[r] as number[])[c] as number;
  const set = (m: number[][], r: number, c: number, value: number) => {
    (m[r] as number[])[c] = value;
  };
  let scale = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) scale += at(i, j) ** 2;
  const limit = tolerance * tolerance * Math.max(scale, Number.MIN_VALUE);
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += at(i, j) ** 2;
    if (off <= limit) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = at(p, q);
        if (apq === 0) continue;
        // The rotation angle that zeroes a[p][q] (Golub & Van Loan, the stable small-angle form).
        const theta = (at(q, q) - at(p, p)) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = at(k, p);
          const akq = at(k, q);
          set(a, k, p, c * akp - s * akq);
          set(a, k, q, s * akp + c * akq);
        }
        for (let k = 0; k < n; k++) {
          const apk = at(p, k);
          const aqk = at(q, k);
          set(a, p, k, c * apk - s * aqk);
          set(a, q, k, s * apk + c * aqk);
        }
        for (let k = 0; k < n; k++) {
          const vkp = (v[k] as number[])[p] as number;
          const vkq = (v[k] as number[])[q] as number;
          set(v, k, p, c * vkp - s * vkq);
          set(v, k, q, s * vkp + c * vkq);
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => at(j, j) - at(i, i));
  return {
    values: order.map((i) => at(i, i)),
    vectors: order.map((i) => v.map((row) => row[i] as number)),
  };
}
