/**
 * Multi-step prediction from the final filter state (the prediction loop of AS 182 `forkal`,
 * written with a dense covariance). State x = [a (r ARMA states), u (id past values of the
 * undifferenced working series, newest first)]. One step:
 *   a' = T·a with T = [phi | shift]             (a[0] is the ARMA value w of the current step)
 *   y  = a[0] + Σ delta[k]·u[k]                  (the current undifferenced value)
 *   u' = [y, u[0..id-2]]
 *   P' = F·P·F' + v·v' on the ARMA block,  v = [1, theta...]
 * and the forecast of the next step is a'[0] + Σ delta[k]·u'[k] with MSE h'·P'·h, h = [1,0..,delta].
 * Means and variances are on the working scale (before the mean and X·beta are added back);
 * the variance is in units of the innovation variance: multiply by the state's varianceScale.
 */
export interface UnitForecast {
  mean: number[];
  /** Mean squared error in units of the innovation variance. */
  mse: number[];
}

export function predictFromState(
  phi: readonly number[],
  theta: readonly number[],
  delta: readonly number[],
  a0: readonly number[],
  P0: readonly (readonly number[])[],
  horizon: number,
): UnitForecast {
  const ir = phi.length;
  const id = delta.length;
  const dim = ir + id;
  let a = [...a0];
  let P = P0.map((row) => [...row]);
  const v = [1, ...theta.slice(0, ir - 1)];
  const mean: number[] = [];
  const mse: number[] = [];

  // Row i of F·M from the rows of M (F is sparse: phi column, shifts, one delta row).
  const applyF = (M: number[][]): number[][] => {
    const m0 = M[0] as number[];
    const out: number[][] = new Array(dim);
    for (let i = 0; i < ir; i++) {
      const next = i + 1 < ir ? (M[i + 1] as number[]) : null;
      const phii = phi[i] as number;
      out[i] = m0.map((value, c) => phii * value + (next ? (next[c] as number) : 0));
    }
    if (id > 0) {
      const row = [...m0];
      for (let k = 0; k < id; k++) {
        const dk = delta[k] as number;
        if (dk === 0) continue;
        const mk = M[ir + k] as number[];
        for (let c = 0; c < dim; c++) row[c] = (row[c] as number) + dk * (mk[c] as number);
      }
      out[ir] = row;
      for (let k = 1; k < id; k++) out[ir + k] = [...(M[ir + k - 1] as number[])];
    }
    return out;
  };
  const transpose = (M: number[][]): number[][] => M.map((_, i) => M.map((row) => row[i] as number));

  for (let step = 0; step < horizon; step++) {
    const current = a[0] as number;
    const next = new Array<number>(dim).fill(0);
    for (let i = 0; i < ir; i++)
      next[i] = (phi[i] as number) * current + (i + 1 < ir ? (a[i + 1] as number) : 0);
    if (id > 0) {
      let y = current;
      for (let k = 0; k < id; k++) y += (delta[k] as number) * (a[ir + k] as number);
      next[ir] = y;
      for (let k = 1; k < id; k++) next[ir + k] = a[ir + k - 1] as number;
    }
    a = next;
    P = applyF(transpose(applyF(P)));
    for (let i = 0; i < ir; i++) {
      const row = P[i] as number[];
      for (let j = 0; j < ir; j++) row[j] = (row[j] as number) + (v[i] as number) * (v[j] as number);
    }

    const h = [1, ...new Array<number>(ir - 1).fill(0), ...delta];
    let forecast = 0;
    for (let i = 0; i < dim; i++) forecast += (h[i] as number) * (a[i] as number);
    let variance = 0;
    for (let i = 0; i < dim; i++) {
      const hi = h[i] as number;
      if (hi === 0) continue;
      const row = P[i] as number[];
      for (let j = 0; j < dim; j++) variance += hi * (row[j] as number) * (h[j] as number);
    }
    mean.push(forecast);
    mse.push(variance);
  }
  return { mean, mse };
}
