import {
  addSteps,
  type CalendarStep,
  describeStep,
  formatTime,
  stepAdjective,
  stepsBetween,
  type TimeStyle,
} from '../core/data/calendar.js';
import { InputDataError } from './csv-cells.js';
import { formatStep } from './format.js';

/** One row of a series, before gaps are filled. */
export interface Point {
  ms: number;
  value: number;
  exog: number[];
  /** File line; 0 for a step filled by interpolation. */
  line: number;
}

/** Steps missing between two rows that are there. */
export interface Gap {
  /** The last time before the gap and its line, the first time after it and its line. */
  before: { ms: number; line: number };
  after: { ms: number; line: number };
  /** Missing steps (at least 1). */
  steps: number;
}

/** How much `--fill` may invent. */
export interface FillLimit {
  /** Most steps filled in all: a count (`--max-fill 12`) or a share of the filled series (`10%`). */
  max: { steps: number } | { share: number };
  /** Longest single gap in steps, or undefined for none (one season: longer erases the pattern). */
  longestGap: number | undefined;
}

export const DEFAULT_MAX_FILL_SHARE = 0.1;

/**
 * The gaps of sorted points on the step's grid. A gap that is not a whole number of steps (90
 * minutes in hourly data, the 15th in month-start data) cannot be filled: the series is not regular.
 */
export function findGaps(
  points: readonly Point[],
  step: CalendarStep,
  label: string,
  style: TimeStyle,
): Gap[] {
  const gaps: Gap[] = [];
  const irregular: { a: Point; b: Point }[] = [];
  points.slice(1).forEach((b, i) => {
    const a = points[i] as Point;
    const k = stepsBetween(a.ms, b.ms, step);
    if (Number.isNaN(k)) irregular.push({ a, b });
    else if (k > 1) gaps.push({ before: a, after: b, steps: k - 1 });
  });
  const first = irregular[0];
  if (first) {
    const { a, b } = first;
    const more =
      irregular.length > 1 ? ` (${irregular.length} of ${points.length - 1} gaps are off the grid)` : '';
    throw new InputDataError(
      `${label} is not equally spaced: the usual step is ${describeStep(step)}, but ${showTime(a.ms, style)} (line ${a.line}) → ${showTime(b.ms, style)} (line ${b.line}) is ${gapText(a.ms, b.ms, step)}, not a whole number of steps${more}; aggregate to a regular step first`,
    );
  }
  return gaps;
}

/** The refusal when gaps were found without `--fill`: the first missing step, the count, the flag. */
export function gapError(
  gaps: readonly Gap[],
  step: CalendarStep,
  label: string,
  style: TimeStyle,
): InputDataError {
  const first = gaps[0] as Gap;
  const missing = gaps.reduce((sum, gap) => sum + gap.steps, 0);
  const where = `between lines ${first.before.line} and ${first.after.line}`;
  const count =
    missing === 1
      ? 'it is the only missing step'
      : `${missing} steps are missing in ${plural(gaps.length, 'gap')}`;
  return new InputDataError(
    `${label} has a gap in its ${stepAdjective(step)} series: ${showTime(addSteps(first.before.ms, 1, step), style)} is missing (${where}); ${count}. ` +
      `Pass --fill to interpolate missing steps linearly, or fill them in the file first`,
  );
}

/** The steps the limit allows for a series that will have `total` points once filled. */
export function allowedSteps(limit: FillLimit, total: number): number {
  return 'steps' in limit.max ? limit.max.steps : Math.floor(limit.max.share * total);
}

/**
 * The points with every gap filled by linear interpolation between its neighbours, value and
 * regressors alike, after checking the limit (an error says how many and where).
 */
export function fillGaps(
  points: readonly Point[],
  gaps: readonly Gap[],
  step: CalendarStep,
  limit: FillLimit,
  where: { label: string; style: TimeStyle },
): Point[] {
  checkLimit(gaps, points.length, step, limit, where);
  const filled: Point[] = [];
  points.forEach((point, i) => {
    const next = points[i + 1];
    filled.push(point);
    if (!next) return;
    const k = stepsBetween(point.ms, next.ms, step);
    for (let j = 1; j < k; j++) {
      const weight = j / k;
      const between = (a: number, b: number) => a + (b - a) * weight;
      filled.push({
        ms: addSteps(point.ms, j, step),
        value: between(point.value, next.value),
        exog: point.exog.map((x, column) => between(x, next.exog[column] as number)),
        line: 0,
      });
    }
  });
  return filled;
}

function checkLimit(
  gaps: readonly Gap[],
  rows: number,
  step: CalendarStep,
  limit: FillLimit,
  where: { label: string; style: TimeStyle },
): void {
  const missing = gaps.reduce((sum, gap) => sum + gap.steps, 0);
  const total = rows + missing;
  const allowed = allowedSteps(limit, total);
  const longest = gaps.reduce((a, b) => (b.steps > a.steps ? b : a), gaps[0] as Gap);
  const span = (gap: Gap) => {
    const first = showTime(addSteps(gap.before.ms, 1, step), where.style);
    const last = showTime(addSteps(gap.after.ms, -1, step), where.style);
    return `${gap.steps === 1 ? first : `${first} … ${last}`} (between lines ${gap.before.line} and ${gap.after.line})`;
  };
  if (missing > allowed) {
    const share =
      'share' in limit.max ? `${Math.round(limit.max.share * 100)}% of ${total} points` : 'set by --max-fill';
    throw new InputDataError(
      `${where.label}: --fill would fill ${missing} of ${total} steps in ${plural(gaps.length, 'gap')}, more than the ${allowed} allowed (${share}); the longest gap is ${plural(longest.steps, 'step')}, ${span(longest)}. ` +
        'Raise --max-fill (a count or a share such as 20%) if interpolating that much is right for this data',
    );
  }
  if (limit.longestGap !== undefined && longest.steps > limit.longestGap)
    throw new InputDataError(
      `${where.label}: --fill interpolates gaps of up to one season (${plural(limit.longestGap, 'step')}), but ${span(longest)} is ${plural(longest.steps, 'missing step')}: a straight line over it would erase the seasonal pattern. Fill it in the file, shorten the data, or set --season 0`,
    );
}

/** What `fit` prints about filled steps: how many and the first few gaps. */
export function describeFill(gaps: readonly Gap[], step: CalendarStep, style: TimeStyle): string {
  const missing = gaps.reduce((sum, gap) => sum + gap.steps, 0);
  const shown = gaps.slice(0, 5).map((gap) => {
    const from = formatTime(addSteps(gap.before.ms, 1, step), style);
    return gap.steps === 1 ? from : `${from} … ${formatTime(addSteps(gap.after.ms, -1, step), style)}`;
  });
  const more = gaps.length > shown.length ? `, and ${gaps.length - shown.length} more` : '';
  return `Filled ${plural(missing, 'missing step')} in ${plural(gaps.length, 'gap')} by linear interpolation (value and regressors): ${shown.join(', ')}${more}`;
}

/** Times in messages: full ISO for date-times (as before), the series' own style otherwise. */
export function showTime(ms: number, style: TimeStyle): string {
  return style === 'ISO' ? new Date(ms).toISOString() : formatTime(ms, style);
}

function gapText(from: number, to: number, step: CalendarStep): string {
  const days = Math.round((to - from) / 86_400_000);
  return step.unit === 'month' || step.unit === 'quarter' || step.unit === 'year'
    ? `${plural(days, 'day')}`
    : formatStep(to - from);
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
