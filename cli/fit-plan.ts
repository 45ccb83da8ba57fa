import { DEFAULT_MAX_POINTS, MAX_POINTS_LIMIT } from '../core/forecasting/index.js';
import type { FitOptions, SarimaxOrder } from '../core/forecasting/types.js';
import { intFlag, listFlag, requireFlag, UsageError } from './args.js';
import type { SeriesColumns } from './csv-series.js';
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
  out?: string;
  'time-limit'?: string;
  'max-points'?: string;
}

/** Everything `fit` was asked to do, checked before any file is read. */
export interface FitPlan {
  csvPath: string;
  columns: SeriesColumns;
  /** A fixed order, or undefined for a search (its period depends on the data's step). */
  order: SarimaxOrder | undefined;
  season: number | undefined;
  logTransform: boolean;
  out: string;
  timeLimitMs: number;
  maxPoints: number;
}

export const DEFAULT_TIME_LIMIT_SECONDS = 120;

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
  return {
    csvPath,
    columns: {
      value,
      ...(values.time !== undefined ? { time: requireFlag(values.time, '--time', 'the time column') } : {}),
      exog: listFlag(values.exog, '--exog'),
    },
    order: values.order === undefined ? undefined : parseOrderFlag(values.order),
    season,
    logTransform: values.log === true,
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

/**
 * The core's options once the data's step is known. `--time-limit` bounds both one fit and the
 * whole search, so a search never runs much longer than asked.
 */
export function fitOptions(plan: FitPlan, stepMs: number): FitOptions {
  return {
    order: plan.order ?? searchFor(stepMs, plan.season, plan.timeLimitMs),
    timeLimitMs: plan.timeLimitMs,
    logTransform: plan.logTransform,
    maxPoints: plan.maxPoints,
  };
}
