import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../core/data/seeded-random.js';
import { symmetricEigen } from '../../../core/monitoring/jacobi-eigen.js';

describe('Jacobi eigen-decomposition', () => {
  it('finds the known eigenpairs of a 2×2 and a 3×3 matrix', () => {
    // [[2,1],[1,2]] has 3 along (1,1)/√2 and 1 along (1,−1)/√2; the 3×3 is block diagonal.
    const two = symmetricEigen([
      [2, 1],
      [1, 2],
    ]);
    expect(two.values[0]).toBeCloseTo(3, 12);
    expect(two.values[1]).toBeCloseTo(1, 12);
    expect(Math.abs(two.vectors[0]?.[0] as number)).toBeCloseTo(Math.SQRT1_2, 12);
    const three = symmetricEigen([
      [4, 0, 0],
      [0, 2, 1],
      [0, 1, 2],
    ]);
    three.values.forEach((v, i) => {
      expect(v).toBeCloseTo([4, 3, 1][i] as number, 12);
    });
  });

  it('reconstructs a random 25×25 symmetric matrix from its eigenpairs (A·v = λ·v, V orthonormal)', () => {
    // Prepare
    const random = seededRandom(5);
    const n = 25;
    const m = Array.from({ length: n }, () => new Array<number>(n).fill(0));
    for (let i = 0; i < n; i++)
      for (let j = i; j < n; j++) {
        const v = random() * 2 - 1;
        (m[i] as number[])[j] = v;
        (m[j] as number[])[i] = v;
      }
    // Act
    const { values, vectors } = symmetricEigen(m);
    // Assess
    for (let k = 0; k < n; k++) {
      const v = vectors[k] as number[];
      for (let i = 0; i < n; i++) {
        const av = (m[i] as number[]).reduce((s, x, j) => s + x * (v[j] as number), 0);
        expect(av).toBeCloseTo((values[k] as number) * (v[i] as number), 9);
      }
      const other = vectors[(k + 1) % n] as number[];
      expect(v.reduce((s, x, i) => s + x * (other[i] as number), 0)).toBeCloseTo(0, 9);
      if (k > 0) expect(values[k]).toBeLessThanOrEqual(values[k - 1] as number);
    }
  });
});
