/**
 * ADWIN (Bifet & Gavaldà 2007) with River's `drift.ADWIN` semantics and defaults: delta 0.002,
 * a window check every 32 updates (clock) once the window holds more than 10 values (grace
 * period), at most 5 buckets per row of the exponential histogram, sub-windows of at least 5.
 * Like River, the detector starts afresh on the update after the one that reported a change.
 *
 * Rows of buckets: row r holds buckets of 2^r values, oldest first; row 0 receives new values.
 * Each bucket keeps the sum of its values and their sum of squared deviations (its "variance").
 */

const CLOCK = 32;
const MAX_BUCKETS = 5;
const MIN_WINDOW_LENGTH = 5;
const GRACE_PERIOD = 10;

interface Row {
  totals: number[];
  variances: number[];
}

/** Everything the detector holds, as plain JSON. */
export interface AdwinState {
  readonly delta: number;
  readonly rows: readonly { readonly totals: readonly number[]; readonly variances: readonly number[] }[];
  readonly total: number;
  readonly variance: number;
  readonly width: number;
  readonly tick: number;
  readonly detections: number;
  readonly driftDetected: boolean;
}

export class Adwin {
  readonly delta: number;
  private rows: Row[] = [{ totals: [], variances: [] }];
  private total = 0;
  private variance = 0;
  private windowWidth = 0;
  private tick = 0;
  private detections = 0;
  private driftDetected = false;

  constructor(delta = 0.002) {
    if (!(delta > 0 && delta < 1)) throw new Error(`ADWIN delta must be in (0, 1), got ${delta}`);
    this.delta = delta;
  }

  /** Adds one value; true when this value made the window drop an older part that differs. */
  update(value: number): boolean {
    if (this.driftDetected) this.reset();
    this.insert(value);
    this.driftDetected = this.detectChange();
    if (this.driftDetected) this.detections += 1;
    return this.driftDetected;
  }

  /** Mean of the values in the window (0 when empty). */
  get estimation(): number {
    return this.windowWidth === 0 ? 0 : this.total / this.windowWidth;
  }

  /** How many values the window holds. */
  get width(): number {
    return this.windowWidth;
  }

  /** Changes detected since this detector was created (kept across its own resets). */
  get detectionCount(): number {
    return this.detections;
  }

  state(): AdwinState {
    return {
      delta: this.delta,
      rows: this.rows.map((row) => ({ totals: [...row.totals], variances: [...row.variances] })),
      total: this.total,
      variance: this.variance,
      width: this.windowWidth,
      tick: this.tick,
      detections: this.detections,
      driftDetected: this.driftDetected,
    };
  }

  static restore(s: AdwinState): Adwin {
    const adwin = new Adwin(s.delta);
    adwin.rows = s.rows.map((row) => ({ totals: [...row.totals], variances: [...row.variances] }));
    adwin.total = s.total;
    adwin.variance = s.variance;
    adwin.windowWidth = s.width;
    adwin.tick = s.tick;
    adwin.detections = s.detections;
    adwin.driftDetected = s.driftDetected;
    return adwin;
  }

  private reset(): void {
    this.rows = [{ totals: [], variances: [] }];
    this.total = 0;
    this.variance = 0;
    this.windowWidth = 0;
    this.tick = 0;
  }

  private row(index: number): Row {
    const row = this.rows[index];
    if (row === undefined) throw new Error(`ADWIN: no bucket row ${index}`);
    return row;
  }

  private insert(value: number): void {
    const first = this.row(0);
    first.totals.push(value);
    first.variances.push(0);
    this.windowWidth += 1;
    if (this.windowWidth > 1) {
      const previousMean = this.total / (this.windowWidth - 1);
      this.variance +=
        ((this.windowWidth - 1) * (value - previousMean) * (value - previousMean)) / this.windowWidth;
    }
    this.total += value;
    this.compress();
  }

  /** Merges the two oldest buckets of a full row into one bucket of the next row, cascading. */
  private compress(): void {
    for (let index = 0; index < this.rows.length; index++) {
      const row = this.row(index);
      if (row.totals.length !== MAX_BUCKETS + 1) break;
      if (index + 1 === this.rows.length) this.rows.push({ totals: [], variances: [] });
      const next = this.row(index + 1);
      const size = 2 ** index;
      const [t1 = 0, t2 = 0] = row.totals;
      const [v1 = 0, v2 = 0] = row.variances;
      const mu1 = t1 / size;
      const mu2 = t2 / size;
      next.totals.push(t1 + t2);
      next.variances.push(v1 + v2 + (size * size * (mu1 - mu2) * (mu1 - mu2)) / (size + size));
      row.totals.splice(0, 2);
      row.variances.splice(0, 2);
      if (next.totals.length <= MAX_BUCKETS) break;
    }
  }

  /** Drops the oldest bucket; returns how many values it held. */
  private deleteOldest(): number {
    const lastIndex = this.rows.length - 1;
    const row = this.row(lastIndex);
    const size = 2 ** lastIndex;
    const u = row.totals[0] ?? 0;
    const v = row.variances[0] ?? 0;
    const mu = u / size;
    this.windowWidth -= size;
    this.total -= u;
    const windowMean = this.total / this.windowWidth;
    this.variance -=
      v + (size * this.windowWidth * (mu - windowMean) * (mu - windowMean)) / (size + this.windowWidth);
    row.totals.shift();
    row.variances.shift();
    // River keeps the (possibly empty) first row; only an emptied oldest row goes.
    if (row.totals.length === 0 && lastIndex > 0) this.rows.pop();
    return size;
  }

  private detectChange(): boolean {
    let changeDetected = false;
    this.tick += 1;
    if (this.tick % CLOCK !== 0 || this.windowWidth <= GRACE_PERIOD) return false;
    let reduceWidth = true;
    while (reduceWidth) {
      reduceWidth = false;
      let exit = false;
      let n0 = 0;
      let n1 = this.windowWidth;
      let u0 = 0;
      let u1 = this.total;
      // Cut points run from the oldest bucket to the newest (the newest is no cut: W1 would be empty).
      for (let index = this.rows.length - 1; index >= 0 && !exit; index--) {
        const row = this.row(index);
        const size = 2 ** index;
        for (let k = 0; k < row.totals.length; k++) {
          const u2 = row.totals[k] ?? 0;
          n0 += size;
          n1 -= size;
          u0 += u2;
          u1 -= u2;
          if (index === 0 && k === row.totals.length - 1) {
            exit = true;
            break;
          }
          const deltaMean = u0 / n0 - u1 / n1;
          if (n1 >= MIN_WINDOW_LENGTH && n0 >= MIN_WINDOW_LENGTH && this.cutHolds(n0, n1, deltaMean)) {
            reduceWidth = true;
            changeDetected = true;
            if (this.windowWidth > 0) {
              n0 -= this.deleteOldest();
              exit = true;
              break;
            }
          }
        }
      }
    }
    return changeDetected;
  }

  private cutHolds(n0: number, n1: number, deltaMean: number): boolean {
    const deltaPrime = Math.log((2 * Math.log(this.windowWidth)) / this.delta);
    const mRecip = 1 / (n0 - MIN_WINDOW_LENGTH + 1) + 1 / (n1 - MIN_WINDOW_LENGTH + 1);
    const varianceInWindow = this.variance / this.windowWidth;
    const epsilon = Math.sqrt(2 * mRecip * varianceInWindow * deltaPrime) + (2 / 3) * deltaPrime * mRecip;
    return Math.abs(deltaMean) > epsilon;
  }
}
