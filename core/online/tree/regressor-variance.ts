/**
 * Running count, mean and sum of squared deviations of a target (River's `stats.Var`, ddof 1),
 * as a plain triple so tree nodes and splitters serialise as they are. The merge and split
 * formulas are Chan et al.'s parallel ones, in River's order of operations.
 */
export interface VarStats {
  n: number;
  mean: number;
  /** Sum of squared deviations from the mean. */
  s: number;
}

export function emptyVar(): VarStats {
  return { n: 0, mean: 0, s: 0 };
}

export function copyVar(v: VarStats): VarStats {
  return { n: v.n, mean: v.mean, s: v.s };
}

/** Welford's update with a weight. */
export function updateVar(v: VarStats, x: number, w = 1): void {
  const oldMean = v.mean;
  v.n += w;
  v.mean += (w / v.n) * (x - oldMean);
  v.s += w * (x - oldMean) * (x - v.mean);
}

/** Sample variance (n − 1); 0 until two values. */
export function variance(v: VarStats): number {
  return v.n > 1 ? v.s / (v.n - 1) : 0;
}

/** `into += other`: the statistics of both samples together. */
export function addVar(into: VarStats, other: VarStats): void {
  const total = into.n + other.n;
  if (total === 0) return;
  const s = into.s + other.s + ((into.mean - other.mean) ** 2 * into.n * other.n) / total;
  into.mean = (into.n * into.mean + other.n * other.mean) / total;
  into.n = total;
  into.s = s;
}

/** `from -= part`: the statistics of the rest once `part`, a sub-sample, is taken away. */
export function subtractVar(from: VarStats, part: VarStats): void {
  const oldN = from.n;
  from.n -= part.n;
  if (from.n > 0) {
    from.mean = (oldN * from.mean - part.n * part.mean) / from.n;
  } else {
    from.n = 0;
    from.mean = 0;
  }
  const both = from.n + part.n;
  from.s = both > 0 ? from.s - part.s - ((from.mean - part.mean) ** 2 * from.n * part.n) / both : 0;
}
