/**
 * The two prediction steps of the AS 154 Kalman filter (`karma`) for an ARMA state of size r,
 * with P packed (upper triangle, row by row). Shared by the likelihood and the artifact's final
 * filter state, so both follow the same arithmetic as ctsa.
 */

/** a ← T·a: shift up, then add phi times the old first element. */
export function predictState(a: Float64Array, phi: ArrayLike<number>, ip: number, ir: number): void {
  const a1 = a[0] as number;
  for (let j = 0; j < ir - 1; j++) a[j] = a[j + 1] as number;
  a[ir - 1] = 0;
  for (let j = 0; j < ip; j++) a[j] = (a[j] as number) + (phi[j] as number) * a1;
}

/**
 * P ← T·P·T' + V right after an update: then the first row and column of P are zero, so the
 * product is a shift of P plus V (V = v·v', v = [1, theta…]).
 */
export function predictCovariance(P: Float64Array, V: Float64Array, ir: number): void {
  let ind = -1;
  let indn = ir - 1;
  for (let l = 0; l < ir; l++) {
    for (let j = l; j < ir; j++) {
      ind++;
      P[ind] = V[ind] as number;
      if (j !== ir - 1) {
        indn++;
        P[ind] = (P[ind] as number) + (P[indn] as number);
      }
    }
  }
}
