import type { FeatureColumn } from '../../../core/features/columns.js';
import type { ForecastPoint } from '../model/types.js';

/** The nightly forecast table: every store's next days as its champion forecast them, with intervals. */
export const FORECAST_COLUMNS: readonly FeatureColumn[] = [
  { name: 'store', type: 'int', nullable: false, description: 'the store (1..1115)' },
  {
    name: 'origin',
    type: 'string',
    nullable: false,
    description: 'the newest day of data the forecast saw (YYYY-MM-DD)',
  },
  { name: 'date', type: 'string', nullable: false, description: 'the day forecast (YYYY-MM-DD)' },
  { name: 'horizon', type: 'int', nullable: false, description: 'days after the origin (1..42)' },
  { name: 'open', type: 'int', nullable: false, description: '1 when the store is planned open' },
  { name: 'mean', type: 'double', nullable: false, description: 'forecast sales' },
  { name: 'lo80', type: 'double', nullable: false, description: 'lower end of the 80% prediction interval' },
  { name: 'hi80', type: 'double', nullable: false, description: 'upper end of the 80% prediction interval' },
  { name: 'lo95', type: 'double', nullable: false, description: 'lower end of the 95% prediction interval' },
  { name: 'hi95', type: 'double', nullable: false, description: 'upper end of the 95% prediction interval' },
  { name: 'family', type: 'string', nullable: false, description: 'the champion’s family (sarimax, forest)' },
  {
    name: 'model_version',
    type: 'string',
    nullable: false,
    description: 'the registry version that forecast',
  },
  {
    name: 'backtest_rmspe',
    type: 'double',
    nullable: true,
    description: 'the champion’s rolling-origin backtest RMSPE: the error to expect',
  },
];

export interface ForecastRow {
  store: number;
  origin: string;
  date: string;
  horizon: number;
  open: number;
  mean: number;
  lo80: number;
  hi80: number;
  lo95: number;
  hi95: number;
  family: string;
  model_version: string;
  backtest_rmspe: number | null;
}

export function forecastRows(options: {
  store: number;
  origin: string;
  family: string;
  modelVersion: string;
  backtestRmspe: number | null;
  points: readonly ForecastPoint[];
}): ForecastRow[] {
  return options.points.map((point, i) => ({
    store: options.store,
    origin: options.origin,
    date: point.date,
    horizon: i + 1,
    open: point.open,
    mean: point.mean,
    lo80: point.lo80,
    hi80: point.hi80,
    lo95: point.lo95,
    hi95: point.hi95,
    family: options.family,
    model_version: options.modelVersion,
    backtest_rmspe: options.backtestRmspe,
  }));
}
