/**
 * Isotonic calibration: the monotone (non-decreasing) map from a model's score to the observed
 * share of positives that fits best in squared error, found by pool-adjacent-violators. Unlike
 * Platt scaling it assumes no shape, so it also repairs a forest's typical S-shaped or flat-ended
 * miscalibration; it needs more calibration rows, which the churn system has.
 *
 * The fitted map is plain JSON: knots (x ascending, y non-decreasing) joined by straight lines and
 * clamped beyond the ends, as scikit-learn's IsotonicRegression(out_of_bounds='clip') predicts.
 * Interpolating between knots keeps more distinct probabilities than a pure step map, so ranking
 * metrics lose less to ties.
 */
export interface IsotonicCalibration {
  readonly kind: 'isotonic';
  /** Ascending scores at which the map is known. */
  readonly x: readonly number[];
  /** Calibrated probability at each x; non-decreasing. */
  readonly y: readonly number[];
}

export class CalibrationError extends Error {
  override readonly name = 'CalibrationError';
}

/** Pool-adjacent-violators over (score, label) pairs; labels 0/1, optional per-row weights. */
export function fitIsotonic(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  weights?: ArrayLike<number>,
): IsotonicCalibration {
  if (scores.length !== labels.length)
    throw new CalibrationError(`scores has ${scores.length} entries but labels has ${labels.length}`);
  if (scores.length === 0) throw new CalibrationError('calibration needs at least one (score, label) pair');
  const order = Array.from({ length: scores.length }, (_, i) => i);
  for (const i of order) {
    if (!Number.isFinite(scores[i] as number))
      throw new CalibrationError(`score ${i} is ${scores[i]}; expected a finite number`);
    const label = labels[i];
    if (label !== 0 && label !== 1) throw new CalibrationError(`label ${i} is ${label}; expected 0 or 1`);
  }
  order.sort((a, b) => (scores[a] as number) - (scores[b] as number));
  // One block per distinct score first (equal scores must map to one value), then pool.
  const blockX: number[] = [];
  const blockLastX: number[] = [];
  const blockSum: number[] = [];
  const blockWeight: number[] = [];
  for (const i of order) {
    const s = scores[i] as number;
    const w = weights ? (weights[i] as number) : 1;
    const last = blockX.length - 1;
    if (last >= 0 && blockLastX[last] === s) {
      blockSum[last] = (blockSum[last] as number) + w * (labels[i] as number);
      blockWeight[last] = (blockWeight[last] as number) + w;
    } else {
      blockX.push(s);
      blockLastX.push(s);
      blockSum.push(w * (labels[i] as number));
      blockWeight.push(w);
    }
    // Merge while the newest block's mean is below its predecessor's (a violation).
    while (blockX.length > 1) {
      const b = blockX.length - 1;
      const meanB = (blockSum[b] as number) / (blockWeight[b] as number);
      const meanA = (blockSum[b - 1] as number) / (blockWeight[b - 1] as number);
      if (meanA <= meanB) break;
      blockSum[b - 1] = (blockSum[b - 1] as number) + (blockSum[b] as number);
      blockWeight[b - 1] = (blockWeight[b - 1] as number) + (blockWeight[b] as number);
      blockLastX[b - 1] = blockLastX[b] as number;
      blockX.pop();
      blockLastX.pop();
      blockSum.pop();
      blockWeight.pop();
    }
  }
  // A block spanning several scores is flat: its first and last score are both knots.
  const x: number[] = [];
  const y: number[] = [];
  for (let b = 0; b < blockX.length; b++) {
    const value = (blockSum[b] as number) / (blockWeight[b] as number);
    x.push(blockX[b] as number);
    y.push(value);
    if ((blockLastX[b] as number) > (blockX[b] as number)) {
      x.push(blockLastX[b] as number);
      y.push(value);
    }
  }
  // Inside a run of equal values only the run's ends matter for interpolation (sklearn drops the rest).
  const keep = x.map((_, i) => i === 0 || i === x.length - 1 || y[i - 1] !== y[i] || y[i] !== y[i + 1]);
  return { kind: 'isotonic', x: x.filter((_, i) => keep[i]), y: y.filter((_, i) => keep[i]) };
}

/** Calibrated probabilities: linear between knots, clamped to the end values outside them. */
export function applyCalibration(calibration: IsotonicCalibration, scores: ArrayLike<number>): number[] {
  const { x, y } = calibration;
  const out = new Array<number>(scores.length);
  const last = x.length - 1;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i] as number;
    if (Number.isNaN(s)) throw new CalibrationError(`score ${i} is NaN; expected a number`);
    if (s <= (x[0] as number)) {
      out[i] = y[0] as number;
      continue;
    }
    if (s >= (x[last] as number)) {
      out[i] = y[last] as number;
      continue;
    }
    let lo = 0;
    let hi = last;
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if ((x[mid] as number) <= s) lo = mid;
      else hi = mid;
    }
    const x0 = x[lo] as number;
    const x1 = x[hi] as number;
    const y0 = y[lo] as number;
    const y1 = y[hi] as number;
    out[i] = x1 === x0 ? y1 : y0 + ((s - x0) / (x1 - x0)) * (y1 - y0);
  }
  return out;
}

/** Checks a stored calibration (from a registry artifact) before it is applied. */
export function parseCalibration(value: unknown, what = 'calibration'): IsotonicCalibration {
  const bag = value as Partial<IsotonicCalibration> | null;
  if (!bag || typeof bag !== 'object' || bag.kind !== 'isotonic')
    throw new CalibrationError(`${what} must be an object with kind "isotonic"`);
  const { x, y } = bag;
  if (!Array.isArray(x) || !Array.isArray(y) || x.length === 0 || x.length !== y.length)
    throw new CalibrationError(`${what}.x and ${what}.y must be non-empty arrays of equal length`);
  for (let i = 0; i < x.length; i++) {
    const xi = x[i];
    const yi = y[i];
    if (typeof xi !== 'number' || !Number.isFinite(xi) || typeof yi !== 'number' || !(yi >= 0 && yi <= 1))
      throw new CalibrationError(`${what} knot ${i} must be a finite score and a probability in [0, 1]`);
    if (i > 0 && (xi < (x[i - 1] as number) || yi < (y[i - 1] as number)))
      throw new CalibrationError(`${what} knot ${i} breaks the order; x and y must be non-decreasing`);
  }
  return { kind: 'isotonic', x: [...x], y: [...y] };
}

/** Mean squared difference between probability and outcome: lower is better calibrated and sharper. */
export function brierScore(labels: ArrayLike<number>, probabilities: ArrayLike<number>): number {
  if (labels.length !== probabilities.length || labels.length === 0)
    throw new CalibrationError('Brier score needs as many probabilities as labels, at least one');
  let total = 0;
  for (let i = 0; i < labels.length; i++)
    total += ((probabilities[i] as number) - (labels[i] as number)) ** 2;
  return total / labels.length;
}
