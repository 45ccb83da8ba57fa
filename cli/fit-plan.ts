import { type SeriesCalendar, seasonForStep, stepAdjective } from '../core/data/calendar.js';
import { DEFAULT_MAX_POINTS, MAX_POINTS_LIMIT } from '../core/forecasting/index.js';
import { minimumLength } from '../core/forecasting/order.js';
import type {
  FitOptions,
  SarimaxArtifact,
  SarimaxOrder,
  TrainingSeries,
  ValueTransform,
} from '../core/forecasting/types.js';
import { delimiterFlag, intFlag, listFlag, requireFlag, UsageError } from './args.js';
import type { FillLimit } from './csv-gaps.js';
import { DEFAULT_FILL, type SeriesColumns, type SeriesReading } from './csv-series.js';
import { parseOrderFlag, searchFor } from './order-flag.js';

export interface FitFlagValues {
  csv?: string;
  value?: string;
  time?: string;
  exog?: string;
  order?: string;
  search?: boolean;
  season?: string;
  log?: boolean;
  transform?: string;
  fill?: boolean;
  'max-fill'?: string;
  delimiter?: string;
  out?: string;
  'time-limit'?: string;
  'max-points'?: string;
}

/** Everything `fit` was asked to do, checked before any file is read. */
export interface FitPlan {
  csvPath: string;
  columns: SeriesColumns;
  /** How to read the CSV: delimiter, the transform's domain, whether to fill gaps. */
  reading: SeriesReading;
  /** A fixed order, or undefined for a search (its period depends on the data's step). */
  order: SarimaxOrder | undefined;
  season: number | undefined;
  transform: ValueTransform;
  out: string;
  timeLimitMs: number;
  maxPoints: number;
}

export const DEFAULT_TIME_LIMIT_SECONDS = 120;
const TRANSFORMS: ValueTransform[] = ['none', 'log', 'log1p'];

export function fitPlan(values: FitFlagValues): FitPlan {
  const csvPath = requireFlag(values.csv, '--csv', 'the CSV file to fit, e.g. --csv data.csv');
  const value = requireFlag(values.value, '--value', 'the column to forecast, e.g. --value consumption');
  if (values.order !== undefined && values.search)
    throw new UsageError('--order and --search exclude each other: give a fixed order or ask for a search');
  if (values.order !== undefined && values.season !== undefined)
    throw new UsageError('--season is for --search; a fixed --order carries its own period (its 7th number)');
  const season =
    values.season === undefined
      ? undefined
      : intFlag(values.season, '--season', { min: 0, max: 168, fallback: 0 });
  if (season === 1)
    throw new UsageError('--season must be 0 (no seasonal terms) or a period of at least 2 steps');
  const order = values.order === undefined ? undefined : parseOrderFlag(values.order);
  const transform = transformFlag(values.transform, values.log === true);
  if (values['max-fill'] !== undefined && !values.fill)
    throw new UsageError('--max-fill limits --fill; add --fill to interpolate missing steps');
  const delimiter = delimiterFlag(values.delimiter);
  return {
    csvPath,
    columns: {
      value,
      ...(values.time !== undefined ? { time: requireFlag(values.time, '--time', 'the time column') } : {}),
      exog: listFlag(values.exog, '--exog'),
    },
    reading: {
      transform,
      ...(delimiter ? { delimiter } : {}),
      ...(values.fill
        ? {
            fill: {
              max: maxFillFlag(values['max-fill']),
              // The longest gap filled is one season: the fixed order's, --season's, else the step's.
              ...(order ? { season: order.s } : season !== undefined ? { season } : {}),
            },
          }
        : {}),
    },
    order,
    season,
    transform,
    out: values.out ?? 'model.json',
    timeLimitMs:
      intFlag(values['time-limit'], '--time-limit', {
        min: 1,
        max: 3_600,
        fallback: DEFAULT_TIME_LIMIT_SECONDS,
      }) * 1000,
    maxPoints: intFlag(values['max-points'], '--max-points', {
      min: 50,
      max: MAX_POINTS_LIMIT,
      fallback: DEFAULT_MAX_POINTS,
    }),
  };
}

/** `--transform log|log1p|none`; `--log` is the older spelling of `--transform log1p`. */
function transformFlag(value: string | undefined, log: boolean): ValueTransform {
  if (value === undefined) return log ? 'log1p' : 'none';
  if (!TRANSFORMS.includes(value as ValueTransform))
    throw new UsageError(`--transform must be ${TRANSFORMS.join(', ')}, got "${value}"`);
  if (log && value !== 'log1p')
    throw new UsageError(`--log means --transform log1p; it cannot go with --transform ${value}`);
  return value as ValueTransform;
}

/** `--max-fill 12` (steps) or `--max-fill 20%` (of the filled series); default 10%. */
function maxFillFlag(value: string | undefined): FillLimit['max'] {
  if (value === undefined) return DEFAULT_FILL;
  const share = /^(\d+(?:\.\d+)?)%$/.exec(value.trim());
  if (share) {
    const percent = Number(share[1]);
    if (percent > 100) throw new UsageError(`--max-fill as a share must be at most 100%, got "${value}"`);
    return { share: percent / 100 };
  }
  return { steps: intFlag(value, '--max-fill', { min: 0, max: 1_000_000, fallback: 0 }) };
}

/** The seasonal period of a search and why, for a line on stderr (empty when the user chose it). */
export interface SeasonChoice {
  season: number;
  note: string;
}

/**
 * The period a search uses: `--season`, else the step's usual season (core/data/calendar.ts
 * seasonForStep) when the series is long enough for it (the core's minimum for seasonal
 * differencing, three periods), else none.
 */
export function chooseSeason(plan: FitPlan, calendar: SeriesCalendar, points: number): SeasonChoice {
  if (plan.order || plan.season !== undefined) return { season: plan.season ?? 0, note: '' };
  const usual = seasonForStep(calendar);
  const data = `${stepAdjective(calendar)} data`;
  if (usual < 2) return { season: 0, note: `No seasonal period for ${data}; --season S sets one.` };
  const needed = minimumLength({ p: 0, d: 0, q: 1, P: 0, D: 1, Q: 0, s: usual });
  if (points < needed)
    return {
      season: 0,
      note: `No seasonal period: ${data} usually has ${usual}, but ${points} points are fewer than the ${needed} it needs; --season S sets one.`,
    };
  return { season: usual, note: `Seasonal period ${usual} (${data}); --season S overrides.` };
}

/**
 * The core's options once the season is chosen. `--time-limit` bounds both one fit and the whole
 * search, so a search never runs much longer than asked. The core knows log1p only; `log` is
 * applied by coreSeries, so the core fits the logs as they are.
 */
export function fitOptions(plan: FitPlan, choice: SeasonChoice): FitOptions {
  return {
    // The step is already in the chosen season, so searchFor's own step-based default is unused.
    order: plan.order ?? searchFor(0, choice.season, plan.timeLimitMs),
    timeLimitMs: plan.timeLimitMs,
    logTransform: plan.transform === 'log1p',
    maxPoints: plan.maxPoints,
  };
}

/**
 * The series as the core's fit takes it today: it checks equal spacing in milliseconds and knows
 * only the log1p transform. So month, quarter and year steps are laid on a regular grid of their
 * nominal length (the fit uses times only to stamp the artifact, which finishArtifact corrects),
 * and `log` is applied here.
 */
export function coreSeries(series: TrainingSeries, transform: ValueTransform): TrainingSeries {
  const start = Date.parse(series.timestamps[0] ?? '');
  const { calendar, ...plain } = series;
  const regular = calendar && ['month', 'quarter', 'year'].includes(calendar.unit);
  return {
    ...plain,
    timestamps: regular
      ? series.timestamps.map((_, i) => new Date(start + i * series.stepMs).toISOString())
      : series.timestamps,
    values: transform === 'log' ? series.values.map(Math.log) : series.values,
  };
}

/**
 * The fitted artifact with what coreSeries hid put back: the real first and last times of the
 * fitted window, the calendar to step forecasts by, and the `log` transform.
 */
export function finishArtifact(
  artifact: SarimaxArtifact,
  series: TrainingSeries,
  transform: ValueTransform,
): SarimaxArtifact {
  const times = series.timestamps.slice(-artifact.training.points);
  return {
    ...artifact,
    transform,
    training: {
      ...artifact.training,
      start: times[0] ?? artifact.training.start,
      end: times.at(-1) ?? artifact.training.end,
      ...(series.calendar ? { calendar: series.calendar } : {}),
    },
  };
}
