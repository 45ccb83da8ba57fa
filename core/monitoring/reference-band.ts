/**
 * Alert bands from the reference, as NannyML's StandardDeviationThreshold (mean ± k·std of a
 * statistic over reference chunks), with two refinements because a monitored day is not a
 * reference chunk:
 * - its size differs, and a statistic over n rows spreads as 1/√n, so the chunks' std is
 *   rescaled to the day's size (a small day gets a wider band instead of false alarms);
 * - the reference value is itself an estimate from a finite reference, so its sampling variance
 *   is added: comparing a day with the reference is comparing two estimates. Without it, a day as
 *   large as the reference gets a band that ignores half the noise.
 * Chunks are drawn at random, many of them, rather than cut once into ten: a std from ten values
 * is itself uncertain by a fifth, enough to turn a 3-std band into a 2.3-std one.
 */
export interface ReferenceStatistic {
  /** The statistic on the reference (mean over its chunks). */
  readonly mean: number;
  /** Its std over chunks of `chunkSize` rows. */
  readonly std: number;
  readonly chunkSize: number;
  /** Rows the reference had, for the uncertainty of `mean`. */
  readonly referenceRows: number;
  /** The values the std came from (chunk values, or fold means), for the report. */
  readonly chunks: readonly number[];
}

export function meanAndStd(values: readonly number[]): { mean: number; std: number } {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return { mean: Number.NaN, std: Number.NaN };
  const mean = finite.reduce((s, v) => s + v, 0) / finite.length;
  return { mean, std: Math.sqrt(finite.reduce((s, v) => s + (v - mean) ** 2, 0) / finite.length) };
}

/** The statistic over chunks of one size drawn from a reference of `referenceRows` rows. */
export function referenceStatistic(
  chunkValues: readonly number[],
  chunkSize: number,
  referenceRows: number,
): ReferenceStatistic {
  const { mean, std } = meanAndStd(chunkValues);
  return { mean, std, chunkSize, referenceRows, chunks: chunkValues.filter((v) => Number.isFinite(v)) };
}

/** The std of a period's statistic (`rows` rows): std·√(chunkSize / rows). */
export function scaledStd(stat: ReferenceStatistic, rows: number): number {
  return stat.std * Math.sqrt(stat.chunkSize / Math.max(1, rows));
}

/** The std of (period − reference): the period's spread plus the reference's own. */
export function differenceStd(stat: ReferenceStatistic, rows: number): number {
  return (
    stat.std *
    Math.sqrt(stat.chunkSize / Math.max(1, rows) + stat.chunkSize / Math.max(1, stat.referenceRows))
  );
}

export function band(
  stat: ReferenceStatistic,
  rows: number,
  multiplier: number,
): { readonly lower: number; readonly upper: number } {
  const spread = multiplier * differenceStd(stat, rows);
  return { lower: stat.mean - spread, upper: stat.mean + spread };
}

/** `count` random subsets of `size` distinct row indices each (a partial shuffle per subset). */
export function sampleChunks(rows: number, count: number, size: number, random: () => number): number[][] {
  const take = Math.min(rows, size);
  const order = Array.from({ length: rows }, (_, i) => i);
  return Array.from({ length: take < 1 ? 0 : count }, () => {
    for (let i = 0; i < take; i++) {
      const j = i + Math.floor(random() * (rows - i));
      const swap = order[i] as number;
      order[i] = order[j] as number;
      order[j] = swap;
    }
    return order.slice(0, take);
  });
}

/** A seeded partition of the rows into `folds` parts of (nearly) equal size. */
export function folds(rows: number, count: number, random: () => number): number[][] {
  const [order] = sampleChunks(rows, 1, rows, random);
  const parts = Array.from({ length: Math.min(count, rows) }, () => [] as number[]);
  (order ?? []).forEach((row, i) => {
    parts[i % parts.length]?.push(row);
  });
  return parts;
}
