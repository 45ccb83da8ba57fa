/**
 * Initial state covariance of a stationary ARMA process, P0 solving P0 = T·P0·T' + v·v'
 * (Gardner, Harvey & Phillips 1980, algorithm AS 154 `starma`, with `inclu2` and `regres`).
 * Ported from the C translation in ctsa (BSD-3-Clause, Rafat Hussain), which the `arima` package
 * runs in `forkal` before forecasting: following the same arithmetic keeps our forecasts equal to
 * the library's. P is packed: the upper triangle of the r×r matrix, row by row.
 */

/** Adds one weighted row to a square-root-free Givens QR (AS 75 variant). */
function inclu2(
  np: number,
  weight: number,
  xnext: Float64Array,
  xrow: Float64Array,
  ynext: number,
  d: Float64Array,
  rbar: Float64Array,
  thetab: Float64Array,
): void {
  let y = ynext;
  let wt = weight;
  for (let i = 0; i < np; i++) xrow[i] = xnext[i] as number;
  if (wt <= 0) return;
  let ithisr = 0;
  for (let i = 0; i < np; i++) {
    const xi = xrow[i] as number;
    if (xi !== 0) {
      const di = d[i] as number;
      const dpi = di + wt * xi * xi;
      d[i] = dpi;
      const cbar = di / dpi;
      const sbar = (wt * xi) / dpi;
      wt = cbar * wt;
      for (let k = i + 1; k < np; k++) {
        const xk = xrow[k] as number;
        const rbthis = rbar[ithisr] as number;
        xrow[k] = xk - xi * rbthis;
        rbar[ithisr] = cbar * rbthis + sbar * xk;
        ithisr++;
      }
      const yk = y;
      y = yk - xi * (thetab[i] as number);
      thetab[i] = cbar * (thetab[i] as number) + sbar * yk;
      if (di === 0) return;
    } else {
      ithisr += np - i - 1;
    }
  }
}

/** Back substitution of the triangular system left by inclu2. */
function regres(
  np: number,
  nrbar: number,
  rbar: Float64Array,
  thetab: Float64Array,
  beta: Float64Array,
): void {
  let ithisr = nrbar - 1;
  let im = np - 1;
  for (let i = 0; i < np; i++) {
    let b1 = thetab[im] as number;
    if (im !== np - 1) {
      let jm = np - 1;
      for (let j = 0; j <= i - 1; j++) {
        b1 -= (rbar[ithisr] as number) * (beta[jm] as number);
        ithisr--;
        jm--;
      }
    }
    beta[im] = b1;
    im--;
  }
}

/**
 * Fills V (packed v·v', v = [1, theta...]) and P (packed P0) for an ARMA with r = max(ip, iq+1) ≥ 2.
 * `phi` and `theta` have length r (zero padded). Returns false when the inputs are invalid.
 */
export function starma(
  ip: number,
  iq: number,
  phi: Float64Array,
  theta: Float64Array,
  P: Float64Array,
  V: Float64Array,
): boolean {
  const ir = Math.max(iq + 1, ip);
  if (ip < 0 || iq < 0 || ip * ip + iq * iq === 0 || ir === 1) return false;
  const np = (ir * (ir + 1)) / 2;
  const nrbar = (np * (np - 1)) / 2;

  for (let i = 1; i < ir; i++) {
    if (i >= ip) phi[i] = 0;
    V[i] = i < iq + 1 ? (theta[i - 1] as number) : 0;
  }
  if (ip === 0) phi[0] = 0;
  V[0] = 1;
  let ind = ir;
  for (let j = 1; j < ir; j++) {
    const vj = V[j] as number;
    for (let i = j; i < ir; i++) {
      V[ind] = (V[i] as number) * vj;
      ind++;
    }
  }

  if (ip === 0) {
    // A pure moving average: P0 by back-substitution.
    let indn = np;
    ind = np;
    for (let i = 0; i < ir; i++) {
      for (let j = 0; j <= i; j++) {
        ind--;
        P[ind] = V[ind] as number;
        if (j !== 0) {
          indn--;
          P[ind] = (P[ind] as number) + (P[indn] as number);
        }
      }
    }
    return true;
  }

  // Solve S·vec(P0) = vec(V) row by row; P's elements are reordered to bring leading zeros
  // into S's rows (as in the original).
  const xnext = new Float64Array(np);
  const thetab = new Float64Array(np);
  const xrow = new Float64Array(np);
  const rbar = new Float64Array(nrbar);
  P.fill(0, 0, np);
  let ind1 = -1;
  const npr = np - ir;
  const npr1 = npr + 1;
  let indj = npr;
  let ind2 = npr - 1;
  ind = 0;
  for (let j = 0; j < ir; j++) {
    const phij = phi[j] as number;
    xnext[indj] = 0;
    indj++;
    let indi = npr1 + j;
    for (let i = j; i < ir; i++) {
      const ynext = V[ind] as number;
      ind++;
      const phii = phi[i] as number;
      if (j !== ir - 1) {
        xnext[indj] = -phii;
        if (i !== ir - 1) {
          xnext[indi] = (xnext[indi] as number) - phij;
          ind1++;
          xnext[ind1] = -1;
        }
      }
      xnext[npr] = -phii * phij;
      ind2++;
      if (ind2 >= np) ind2 = 0;
      xnext[ind2] = (xnext[ind2] as number) + 1;
      inclu2(np, 1, xnext, xrow, ynext, P, rbar, thetab);
      xnext[ind2] = 0;
      if (i !== ir - 1) {
        xnext[indi] = 0;
        indi++;
        xnext[ind1] = 0;
      }
    }
  }
  regres(np, nrbar, rbar, thetab, P);

  // Undo the reordering.
  ind = npr;
  for (let i = 0; i < ir; i++) {
    ind++;
    xnext[i] = P[ind - 1] as number;
  }
  ind = np;
  ind1 = npr;
  for (let i = 0; i < npr; i++) {
    P[ind - 1] = P[ind1 - 1] as number;
    ind--;
    ind1--;
  }
  for (let i = 0; i < ir; i++) P[i] = xnext[i] as number;
  return true;
}
