import { describe, expect, it } from 'vitest';
import {
  BASELINE_KINDS,
  backtestBaseline,
  backtestCandidate,
  CANDIDATE_KINDS,
  foldOrigins,
  historyTimeline,
  type StoreSeries,
} from '../../../../systems/sales/model/index.js';
import { syntheticSeries } from './synthetic-series.js';

const HORIZON = 42;

/** The series with every day after `date` changed: sales tripled (the future a fold must not see). */
function changedAfter(series: StoreSeries, date: string): StoreSeries {
  return { ...series, days: series.days.map((d) => (d.date > date ? { ...d, sales: d.sales * 3 } : d)) };
}

describe('rolling-origin backtest', () => {
  const series = syntheticSeries({ days: 700, seed: 3 });
  const history = historyTimeline(series);
  const origins = foldOrigins(history, HORIZON, 3);

  it('puts the folds horizon days apart, the last one ending on the last day', () => {
    // Act
    const dates = origins.map((o) => history.days[o]?.date);
    // Assess
    expect(origins).toHaveLength(3);
    expect(origins[2]).toBe(history.lastHistory - HORIZON);
    expect(origins[1]).toBe(history.lastHistory - 2 * HORIZON);
    expect(dates[0] && dates[0] < (dates[1] as string)).toBe(true);
  });

  it.each(CANDIDATE_KINDS)(
    '%s: a fold forecast does not move when every day after its origin changes',
    async (kind) => {
      // Prepare
      const original = await backtestCandidate(kind, series, history, origins, { horizon: HORIZON });
      if (!original.ok) throw new Error(original.reason);
      for (const [k, fold] of original.folds.entries()) {
        const changed = changedAfter(series, fold.origin);
        // Act
        const run = await backtestCandidate(kind, changed, historyTimeline(changed), [origins[k] as number], {
          horizon: HORIZON,
        });
        // Assess: the same forecast; only the actuals it is scored on differ
        if (!run.ok) throw new Error(run.reason);
        expect(run.folds[0]?.predicted).toEqual(fold.predicted);
        expect(run.folds[0]?.actual).not.toEqual(fold.actual);
      }
    },
  );

  it.each(BASELINE_KINDS)(
    '%s: a baseline fold does not move when the days after its origin change',
    (kind) => {
      // Prepare
      const original = backtestBaseline(kind, history, origins, HORIZON);
      const changed = historyTimeline(changedAfter(series, original.folds[0]?.origin as string));
      // Act
      const run = backtestBaseline(kind, changed, [origins[0] as number], HORIZON);
      // Assess
      expect(run.folds[0]?.predicted).toEqual(original.folds[0]?.predicted);
    },
  );
});
