import { renderHistograms } from '../../../core/reports/svg-histogram.js';
import type { StoreError } from './types.js';

const BINS = 20;

/**
 * The distribution of the stores' forecast errors as a picture: each store's observed RMSPE beside
 * the error its champion's backtest led to expect, on shared bins, so a shift of the whole
 * distribution (or a tail of degraded stores) shows at a glance.
 */
export function errorDistributionSvg(day: string, origin: string, errors: readonly StoreError[]): string {
  const observed = errors.map((e) => e.rmspe);
  const expected = errors.flatMap((e) => (e.expected === null ? [] : [e.expected]));
  const top = Math.max(0.05, ...observed, ...expected);
  const edges = Array.from({ length: BINS + 1 }, (_, i) => (top * 1.0001 * i) / BINS);
  const count = (values: readonly number[]) => {
    const counts = new Array<number>(BINS).fill(0);
    for (const value of values) {
      const bin = Math.min(BINS - 1, Math.floor((value / (top * 1.0001)) * BINS));
      counts[bin] = (counts[bin] ?? 0) + 1;
    }
    return counts;
  };
  const degraded = errors.filter((e) => e.degraded).length;
  return renderHistograms({
    title: `Forecast error across ${errors.length} stores`,
    subtitle: `the forecast made on ${origin}, scored on the actuals to ${day}; ${degraded} degraded`,
    series: [
      { name: 'observed RMSPE', color: '#dc2626' },
      { name: 'backtest RMSPE (expected)', color: '#2563eb' },
    ],
    panels: [{ title: 'RMSPE per store', edges, counts: [count(observed), count(expected)] }],
    columns: 1,
    panelWidth: 640,
    panelHeight: 260,
  });
}
