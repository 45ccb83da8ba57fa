import type { FeatureColumn } from '../../../core/features/columns.js';
import type { StoreError } from './types.js';

/** The store-errors table: each store's forecast error once the forecast days' actuals arrived. */
export const STORE_ERROR_COLUMNS: readonly FeatureColumn[] = [
  { name: 'day', type: 'string', nullable: false, description: 'the newest day with actuals (YYYY-MM-DD)' },
  { name: 'store', type: 'int', nullable: false, description: 'the store' },
  { name: 'origin', type: 'string', nullable: false, description: 'the origin of the forecast scored' },
  { name: 'days', type: 'int', nullable: false, description: 'open days scored' },
  { name: 'rmspe', type: 'double', nullable: false, description: 'RMSPE of the forecast over those days' },
  { name: 'expected_rmspe', type: 'double', nullable: true, description: 'the champion’s backtest RMSPE' },
  { name: 'degraded', type: 'int', nullable: false, description: '1 when past the degradation rule' },
  { name: 'model_version', type: 'string', nullable: false, description: 'the version that forecast' },
];

export const storeErrorRows = (day: string, errors: readonly StoreError[]) =>
  errors.map((e) => ({
    day,
    store: e.store,
    origin: e.origin,
    days: e.days,
    rmspe: e.rmspe,
    expected_rmspe: e.expected,
    degraded: e.degraded ? 1 : 0,
    model_version: e.modelVersion,
  }));
