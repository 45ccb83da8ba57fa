/**
 * Calendar arithmetic for regular time series: read a time cell, infer the step from the times,
 * add steps, and write times back the way the input wrote them. All in UTC, pure, no dependency.
 *
 * Months, quarters and years differ in length, so "equally spaced" is decided in calendar units
 * (same day of the month, month after month), never by equal milliseconds.
 */

/** Units of a step. Up to a week they have a fixed length in UTC; the others follow the calendar. */
export type StepUnit =
  | 'millisecond'
  | 'second'
  | 'minute'
  | 'hour'
  | 'day'
  | 'week'
  | 'month'
  | 'quarter'
  | 'year';

export interface CalendarStep {
  unit: StepUnit;
  /** Units per step: 15 with `minute` is a quarter-hour. */
  count: number;
  /** Monthly-type steps anchored at the last day of the month (2024-01-31, 2024-02-29, …). */
  monthEnd?: boolean;
}

/** How the times were written, so output can be written the same way. */
export type TimeStyle = 'YYYY' | 'YYYY-Qn' | 'YYYY-MM' | 'YYYY-MM-DD' | 'ISO';

/** A series' step and the way it writes times: what a model needs to stamp its forecasts. */
export interface SeriesCalendar extends CalendarStep {
  style: TimeStyle;
}

export const STEP_UNITS: readonly StepUnit[] = [
  'millisecond',
  'second',
  'minute',
  'hour',
  'day',
  'week',
  'month',
  'quarter',
  'year',
];
export const TIME_STYLES: readonly TimeStyle[] = ['YYYY', 'YYYY-Qn', 'YYYY-MM', 'YYYY-MM-DD', 'ISO'];

const FIXED_MS: Partial<Record<StepUnit, number>> = {
  millisecond: 1,
  second: 1_000,
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
  week: 604_800_000,
};
const MONTHS: Partial<Record<StepUnit, number>> = { month: 1, quarter: 3, year: 12 };
const DAY_MS = 86_400_000;
/** The average Gregorian year (365.2425 days): the nominal length of calendar steps. */
const YEAR_MS = 31_556_952_000;

export function isCalendarUnit(unit: StepUnit): boolean {
  return MONTHS[unit] !== undefined;
}

/**
 * Epoch milliseconds and style of a time cell, or undefined when it is not a time. Accepted:
 * `2024` (year), `2024-Q1` (quarter), `2024-03` (month), `2024-03-01` (day), and ISO-8601 date-times;
 * a date-time without a zone is UTC (Date.parse would use the machine's zone).
 */
export function parseTime(cell: string): { ms: number; style: TimeStyle } | undefined {
  const text = cell.trim();
  let match = /^(\d{4})$/.exec(text);
  if (match) return { ms: Date.UTC(Number(match[1]), 0, 1), style: 'YYYY' };
  match = /^(\d{4})[- ]?Q([1-4])$/i.exec(text);
  if (match) return { ms: Date.UTC(Number(match[1]), (Number(match[2]) - 1) * 3, 1), style: 'YYYY-Qn' };
  match = /^(\d{4})-(\d{2})$/.exec(text);
  if (match) {
    const month = Number(match[2]);
    return month >= 1 && month <= 12
      ? { ms: Date.UTC(Number(match[1]), month - 1, 1), style: 'YYYY-MM' }
      : undefined;
  }
  match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (match) {
    const [year, month, day] = [Number(match[1]), Number(match[2]) - 1, Number(match[3])];
    const ms = Date.UTC(year, month, day);
    // Date.UTC rolls 2024-02-30 over to March 1; a date that does not round-trip does not exist.
    const date = new Date(ms);
    return date.getUTCMonth() === month && date.getUTCDate() === day
      ? { ms, style: 'YYYY-MM-DD' }
      : undefined;
  }
  const zoneless = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text);
  const iso = zoneless ? `${text.replace(' ', 'T')}Z` : text;
  const ms = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(iso) ? Date.parse(iso) : Number.NaN;
  return Number.isNaN(ms) ? undefined : { ms, style: 'ISO' };
}

/** How a style is described to a user: "a month (2024-03)". */
export function describeStyle(style: TimeStyle): string {
  const names: Record<TimeStyle, string> = {
    YYYY: 'a year (2024)',
    'YYYY-Qn': 'a quarter (2024-Q1)',
    'YYYY-MM': 'a month (2024-03)',
    'YYYY-MM-DD': 'a date (2024-03-01)',
    ISO: 'a date and time (2024-03-01T13:00Z)',
  };
  return names[style];
}

/**
 * The step of sorted, distinct times. Month-type when every time has the same time of day and the
 * same day of the month (or every one is a month's last day); day-type when only the time of day
 * is shared; fixed milliseconds otherwise. Within the type the step is the median gap, so a few
 * missing steps do not change it. Needs at least two times.
 */
export function inferStep(times: readonly number[]): CalendarStep {
  if (times.length < 2) throw new Error('inferring a step needs at least two times');
  const dates = times.map((ms) => new Date(ms));
  const timeOfDay = (ms: number) => ((ms % DAY_MS) + DAY_MS) % DAY_MS;
  const sameTimeOfDay = times.every((ms) => timeOfDay(ms) === timeOfDay(times[0] as number));
  const gaps = (index: (ms: number) => number) =>
    times.slice(1).map((ms, i) => index(ms) - index(times[i] as number));

  if (sameTimeOfDay) {
    const day = (dates[0] as Date).getUTCDate();
    const sameDay = dates.every((date) => date.getUTCDate() === day);
    const allMonthEnds = dates.every(isMonthEnd);
    if (sameDay || allMonthEnds) {
      const months = median(gaps(monthIndex));
      if (months >= 1) return monthStep(months, allMonthEnds && !(sameDay && day <= 28));
    }
    const days = median(gaps((ms) => Math.round(ms / DAY_MS)));
    if (days >= 1) return days % 7 === 0 ? { unit: 'week', count: days / 7 } : { unit: 'day', count: days };
  }
  return fixedStep(median(gaps((ms) => ms)));
}

function monthStep(months: number, monthEnd: boolean): CalendarStep {
  const end = monthEnd ? { monthEnd: true } : {};
  if (months % 12 === 0) return { unit: 'year', count: months / 12, ...end };
  if (months % 3 === 0) return { unit: 'quarter', count: months / 3, ...end };
  return { unit: 'month', count: months, ...end };
}

/** The largest fixed unit that divides the gap: 3,600,000 ms is 1 hour, 900,000 ms 15 minutes. */
function fixedStep(ms: number): CalendarStep {
  for (const unit of ['week', 'day', 'hour', 'minute', 'second'] as const) {
    const size = FIXED_MS[unit] as number;
    if (ms % size === 0) return { unit, count: ms / size };
  }
  return { unit: 'millisecond', count: ms };
}

/** The time `k` steps after `ms` (k may be negative). */
export function addSteps(ms: number, k: number, step: CalendarStep): number {
  const fixed = FIXED_MS[step.unit];
  if (fixed !== undefined) return ms + k * step.count * fixed;
  const date = new Date(ms);
  const months = date.getUTCMonth() + k * step.count * (MONTHS[step.unit] as number);
  const timeOfDay = ms - Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  const last = daysInMonth(date.getUTCFullYear(), months);
  // Day 31 in a 30-day month is its last day, never a rollover into the next month.
  const day = step.monthEnd ? last : Math.min(date.getUTCDate(), last);
  return Date.UTC(date.getUTCFullYear(), months, day) + timeOfDay;
}

/**
 * How many steps lie from `from` to `to`: a whole number when `to` is on the step's grid through
 * `from`, NaN otherwise (a gap of 90 minutes in hourly data, the 15th in month-start data).
 */
export function stepsBetween(from: number, to: number, step: CalendarStep): number {
  const fixed = FIXED_MS[step.unit];
  const estimate = fixed
    ? (to - from) / (fixed * step.count)
    : (monthIndex(to) - monthIndex(from)) / ((MONTHS[step.unit] as number) * step.count);
  const k = Math.round(estimate);
  return addSteps(from, k, step) === to ? k : Number.NaN;
}

/**
 * A fixed length for the step, in milliseconds: exact for units up to a week, the average
 * Gregorian length for months, quarters and years (for readers that only know milliseconds).
 */
export function nominalStepMs(step: CalendarStep): number {
  const fixed = FIXED_MS[step.unit];
  if (fixed !== undefined) return fixed * step.count;
  return Math.round((YEAR_MS / 12) * (MONTHS[step.unit] as number) * step.count);
}

/** `1 h`, `15 min`, `1 d`, `1 week`, `1 month`, `3 months`, `1 quarter`, `1 year`. */
export function describeStep(step: CalendarStep): string {
  const short: Partial<Record<StepUnit, string>> = {
    millisecond: 'ms',
    second: 's',
    minute: 'min',
    hour: 'h',
    day: 'd',
  };
  const abbreviation = short[step.unit];
  if (abbreviation) return `${step.count} ${abbreviation}`;
  const unit = step.count === 1 ? step.unit : `${step.unit}s`;
  return `${step.count} ${unit}${step.monthEnd ? ' (month ends)' : ''}`;
}

/** "monthly", "hourly", "every 15 min": the step as an adjective, for messages. */
export function stepAdjective(step: CalendarStep): string {
  const adjectives: Partial<Record<StepUnit, string>> = {
    hour: 'hourly',
    day: 'daily',
    week: 'weekly',
    month: 'monthly',
    quarter: 'quarterly',
    year: 'yearly',
  };
  const adjective = adjectives[step.unit];
  return step.count === 1 && adjective ? adjective : `every ${describeStep(step)}`;
}

/**
 * The seasonal period a step suggests, in steps: a day of hours (24), a week of days (7), a year of
 * weeks (52, the whole weeks in a year), months (12) or quarters (4); a day or year of multi-hour
 * or multi-month steps when they divide it (12 for 2-hourly data). 0 (no season) for yearly data,
 * for minutes (96 quarter-hours a day is beyond the core's state limit) and for other steps.
 */
export function seasonForStep(step: CalendarStep): number {
  const divides = (whole: number) =>
    whole % step.count === 0 && whole / step.count >= 2 ? whole / step.count : 0;
  switch (step.unit) {
    case 'hour':
      return divides(24);
    case 'day':
      return step.count === 1 ? 7 : 0;
    case 'week':
      return step.count === 1 ? 52 : 0;
    case 'month':
      return divides(12);
    case 'quarter':
      return divides(4);
    default:
      return 0;
  }
}

/**
 * A time written in a style: `2025`, `2025-Q3`, `2025-07`, `2025-07-01`; ISO style gives the short
 * form `2025-07-01 13:00Z` (seconds only when not zero), which is how the CLI prints times.
 */
export function formatTime(ms: number, style: TimeStyle): string {
  const iso = new Date(ms).toISOString();
  switch (style) {
    case 'YYYY':
      return iso.slice(0, 4);
    case 'YYYY-Qn':
      return `${iso.slice(0, 4)}-Q${Math.floor(new Date(ms).getUTCMonth() / 3) + 1}`;
    case 'YYYY-MM':
      return iso.slice(0, 7);
    case 'YYYY-MM-DD':
      return iso.slice(0, 10);
    case 'ISO': {
      const seconds = iso.slice(17, 19) === '00' ? '' : iso.slice(16, 19);
      return `${iso.slice(0, 10)} ${iso.slice(11, 16)}${seconds}Z`;
    }
  }
}

/** A calendar read from JSON (a model file), or an Error naming the field that is wrong. */
export function readSeriesCalendar(json: unknown, name: string): SeriesCalendar {
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new Error(`${name} must be a JSON object`);
  const raw = json as Record<string, unknown>;
  if (!STEP_UNITS.includes(raw.unit as StepUnit))
    throw new Error(`${name}.unit must be one of ${STEP_UNITS.join(', ')}, got ${JSON.stringify(raw.unit)}`);
  if (!(typeof raw.count === 'number' && Number.isInteger(raw.count) && raw.count >= 1))
    throw new Error(`${name}.count must be a whole number >= 1, got ${JSON.stringify(raw.count)}`);
  if (!TIME_STYLES.includes(raw.style as TimeStyle))
    throw new Error(
      `${name}.style must be one of ${TIME_STYLES.join(', ')}, got ${JSON.stringify(raw.style)}`,
    );
  if (raw.monthEnd !== undefined && typeof raw.monthEnd !== 'boolean')
    throw new Error(`${name}.monthEnd must be true or false`);
  return {
    unit: raw.unit as StepUnit,
    count: raw.count,
    style: raw.style as TimeStyle,
    ...(raw.monthEnd ? { monthEnd: true } : {}),
  };
}

function monthIndex(ms: number): number {
  const date = new Date(ms);
  return date.getUTCFullYear() * 12 + date.getUTCMonth();
}

function isMonthEnd(date: Date): boolean {
  return date.getUTCDate() === daysInMonth(date.getUTCFullYear(), date.getUTCMonth());
}

/** Days in a month; `month` may run past 11 (month 12 is next January), as Date.UTC allows. */
function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] as number;
}
