/**
 * Filled hours are not data. The hourly series draws a straight line through every hour nobody
 * reported; a model fitted on those lines learns that consumption is smooth, and a holdout scored
 * on them compares forecasts with a line. So training counts them in its window, reports them
 * with every run, and refuses a window made too much of them.
 */
export interface GapSummary {
  /** Hours in the training window (training part and holdout). */
  readonly windowHours: number;
  /** Hours of the window nobody reported: their consumption is interpolated. */
  readonly filledHours: number;
  /** `filledHours / windowHours` (0 for an empty window). */
  readonly filledShare: number;
  /** The longest run of consecutive filled hours in the window. */
  readonly longestGapHours: number;
  /** The first hour of that run; null when no hour was filled. */
  readonly longestGapFrom: string | null;
  /** Filled hours among the held-out hours both models are scored on. */
  readonly holdoutFilledHours: number;
}

export interface GapLimits {
  /** Largest share of the window that may be filled (0–1). */
  readonly maxFilledShare: number;
  /** Longest run of filled hours the window may hold. */
  readonly maxGapHours: number;
}

/**
 * Counts the filled hours of a window: `filled[i]` says whether the hour at `timestamps[i]` was
 * interpolated; the last `holdoutHours` are the holdout.
 */
export function summarizeGaps(
  timestamps: readonly string[],
  filled: readonly boolean[],
  holdoutHours: number,
): GapSummary {
  if (filled.length !== timestamps.length)
    throw new Error(`${filled.length} filled flags for ${timestamps.length} hours: expected one per hour`);
  let filledHours = 0;
  let run = 0;
  let longestGapHours = 0;
  let longestGapFrom: string | null = null;
  filled.forEach((isFilled, i) => {
    run = isFilled ? run + 1 : 0;
    if (!isFilled) return;
    filledHours++;
    if (run > longestGapHours) {
      longestGapHours = run;
      longestGapFrom = timestamps[i - run + 1] ?? null;
    }
  });
  const holdoutFrom = Math.max(0, filled.length - holdoutHours);
  return {
    windowHours: filled.length,
    filledHours,
    filledShare: filled.length === 0 ? 0 : filledHours / filled.length,
    longestGapHours,
    longestGapFrom,
    holdoutFilledHours: filled.slice(holdoutFrom).filter(Boolean).length,
  };
}

const percent = (share: number) => `${(share * 100).toFixed(1)}%`;

/** Why the window must not be trained on, naming the numbers; undefined when it is within the limits. */
export function gapRefusal(gaps: GapSummary, limits: GapLimits): string | undefined {
  const broken: string[] = [];
  if (gaps.filledShare > limits.maxFilledShare)
    broken.push(
      `${gaps.filledHours} of the window's ${gaps.windowHours} hours are filled by interpolation (${percent(gaps.filledShare)}, more than maxFilledShare ${limits.maxFilledShare})`,
    );
  if (gaps.longestGapHours > limits.maxGapHours)
    broken.push(
      `the longest gap is ${gaps.longestGapHours} hours from ${gaps.longestGapFrom} (more than maxGapHours ${limits.maxGapHours})`,
    );
  if (broken.length === 0) return undefined;
  return (
    `too many filled hours to train on: ${broken.join('; ')}. ` +
    'Find the missing readings (raw/, quarantine/), or start water-retrain with a maxPoints that leaves the gap out or with larger limits'
  );
}

/** One short line for reports: how much of the window was a straight line instead of readings. */
export function describeGaps(gaps: GapSummary): string {
  if (gaps.filledHours === 0) return `training window: ${gaps.windowHours} h, none interpolated`;
  return (
    `training window: ${gaps.filledHours} of ${gaps.windowHours} h interpolated ` +
    `(${percent(gaps.filledShare)}), longest gap ${gaps.longestGapHours} h`
  );
}

/**
 * The summary as the report step receives it (the train result's `gaps`); undefined when it is
 * missing or not a summary (a train result from before gaps were counted), so the report still
 * gets written.
 */
export function parseGapSummary(value: unknown): GapSummary | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const bag = value as Record<string, unknown>;
  const count = (name: string) => {
    const n = bag[name];
    return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : undefined;
  };
  const windowHours = count('windowHours');
  const filledHours = count('filledHours');
  const longestGapHours = count('longestGapHours');
  const holdoutFilledHours = count('holdoutFilledHours');
  if (
    windowHours === undefined ||
    filledHours === undefined ||
    longestGapHours === undefined ||
    holdoutFilledHours === undefined
  )
    return undefined;
  return {
    windowHours,
    filledHours,
    filledShare: windowHours === 0 ? 0 : filledHours / windowHours,
    longestGapHours,
    longestGapFrom: typeof bag.longestGapFrom === 'string' ? bag.longestGapFrom : null,
    holdoutFilledHours,
  };
}
