/**
 * The arithmetic of the churn benchmarks' tables, apart from the runs so it can be tested: how a
 * stage grows with the population, whether one invocation fits Lambda, when a detector first
 * flags a shift, how far estimates are from what was realised.
 */

/** Lambda's hard ceilings: the most memory a function can have and the longest an invocation may run. */
export const LAMBDA_LIMITS = { memoryMb: 10_240, timeoutSeconds: 900 } as const;

/**
 * The exponent b of cost ∝ size^b between the smallest and the largest size: 1 is linear, 2
 * quadratic, near 0 a constant cost. Null when either cost is not positive.
 */
export function growthExponent(
  points: readonly { readonly size: number; readonly value: number }[],
): number | null {
  if (points.length < 2) return null;
  const sorted = [...points].sort((a, b) => a.size - b.size);
  const first = sorted[0] as { size: number; value: number };
  const last = sorted.at(-1) as { size: number; value: number };
  if (!(first.value > 0 && last.value > 0 && last.size > first.size)) return null;
  return Math.log(last.value / first.value) / Math.log(last.size / first.size);
}

/** A reader's word for an exponent: costs measured on a busy machine wobble by ±0.15. */
export function growthWord(exponent: number | null): string {
  if (exponent === null) return 'unknown';
  if (exponent < 0.3) return 'about constant';
  if (exponent < 0.8) return 'sublinear';
  if (exponent <= 1.2) return 'linear';
  if (exponent <= 1.6) return 'superlinear';
  return 'quadratic or worse';
}

export interface InvocationCost {
  readonly wallSeconds: number;
  readonly peakRssMb: number;
}

/**
 * Whether the largest invocation of a stage fits Lambda: its peak memory under the function's
 * configured memory (and Lambda's ceiling), its time under the function's timeout. `cpuShare` is
 * the vCPU the configured memory buys (1 at 1,769 MB); a smaller share runs longer than measured.
 */
export function lambdaFit(
  cost: InvocationCost,
  fn: { readonly memoryMb: number; readonly timeoutSeconds: number },
): { fits: boolean; reason: string; expectedSeconds: number } {
  const cpuShare = Math.min(1, fn.memoryMb / 1769);
  const expectedSeconds = cost.wallSeconds / cpuShare;
  const problems: string[] = [];
  if (cost.peakRssMb > fn.memoryMb)
    problems.push(`${Math.round(cost.peakRssMb)} MB > ${fn.memoryMb} MB configured`);
  if (cost.peakRssMb > LAMBDA_LIMITS.memoryMb) problems.push(`over Lambda's ${LAMBDA_LIMITS.memoryMb} MB`);
  if (expectedSeconds > fn.timeoutSeconds)
    problems.push(`${Math.round(expectedSeconds)} s > ${fn.timeoutSeconds} s timeout`);
  if (expectedSeconds > LAMBDA_LIMITS.timeoutSeconds)
    problems.push(`over Lambda's ${LAMBDA_LIMITS.timeoutSeconds} s`);
  const headroom = Math.min(
    fn.memoryMb / Math.max(cost.peakRssMb, 1),
    fn.timeoutSeconds / Math.max(expectedSeconds, 1e-3),
  );
  return {
    fits: problems.length === 0,
    reason:
      problems.length === 0
        ? `fits (${headroom.toFixed(1)}x headroom)`
        : `does not fit: ${problems.join('; ')}`,
    expectedSeconds,
  };
}

export interface FlagTimeline {
  /** The first flagged day on or after the shift's start, or null if it never was. */
  readonly firstFlag: string | null;
  /** Days from the start of the shift to that flag. */
  readonly delayDays: number | null;
  /** Flagged days before the shift began: false alarms, which make an early flag worth less. */
  readonly flagsBefore: number;
  readonly daysBefore: number;
}

const dayNumber = (day: string) => Math.round(Date.parse(`${day}T00:00:00Z`) / 86_400_000);

/** When a detector first flagged a shift that starts on `start`, and how often it cried wolf before. */
export function flagTimeline(
  periods: readonly { readonly period: string; readonly flagged: boolean }[],
  start: string,
): FlagTimeline {
  const sorted = [...periods].sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0));
  const before = sorted.filter((p) => p.period < start);
  const first = sorted.find((p) => p.period >= start && p.flagged);
  return {
    firstFlag: first?.period ?? null,
    delayDays: first ? dayNumber(first.period) - dayNumber(start) : null,
    flagsBefore: before.filter((p) => p.flagged).length,
    daysBefore: before.length,
  };
}

/** Mean |estimate − realised| over the pairs where both exist; null when none does. */
export function meanAbsoluteError(
  pairs: readonly {
    readonly estimated: number | null | undefined;
    readonly realised: number | null | undefined;
  }[],
): { mae: number | null; n: number } {
  let sum = 0;
  let n = 0;
  for (const { estimated, realised } of pairs) {
    if (typeof estimated !== 'number' || typeof realised !== 'number') continue;
    if (!Number.isFinite(estimated) || !Number.isFinite(realised)) continue;
    sum += Math.abs(estimated - realised);
    n++;
  }
  return { mae: n > 0 ? sum / n : null, n };
}
