import { describe, expect, it } from 'vitest';
import { chartGeometry, epochDay, openRuns, timeTicks } from '../../systems/sales/web/chart-geometry.js';
import { chartDescription } from '../../systems/sales/web/chart-summary.js';
import type {
  ForecastPoint,
  ForecastView,
  HistoryView,
  StoreRow,
} from '../../systems/sales/web/sales-api.js';
import { formatRmspe } from '../../systems/sales/web/sales-format.js';
import {
  neighbour,
  parseStoreEntry,
  pathWithStore,
  shownStore,
  storeInSearch,
} from '../../systems/sales/web/store-choice.js';
import { detailOf } from '../../systems/sales/web/use-store-detail.js';

/** The sales page's plain parts: the chart's geometry, the store in the address, the page's states. */
const day = (date: string, sales: number, open: 0 | 1 = 1) => ({ date, sales, open, promo: 0 });
const point = (date: string, mean: number, open: 0 | 1 = 1): ForecastPoint => ({
  date,
  open,
  mean: open ? mean : 0,
  lo80: open ? mean * 0.9 : 0,
  hi80: open ? mean * 1.1 : 0,
  lo95: open ? mean * 0.8 : 0,
  hi95: open ? mean * 1.2 : 0,
});
const row = (store: number, family: StoreRow['family']): StoreRow => ({
  store,
  storeType: 'a',
  assortment: 'a',
  family,
  backtestRmspe: family ? 0.1 : null,
  observedRmspe: null,
  degraded: false,
  status: family ? 'promoted' : null,
});

/** The y of every vertex of a path, in order. */
const ys = (d: string) => [...d.matchAll(/[ML]([\d.]+),([\d.]+)/g)].map((m) => Number(m[2]));

describe('the forecast chart’s geometry', () => {
  // Prepare: Mon 5 … Sun 11 Jan 2015 open except Sunday, the 8th missing (no row), then a forecast.
  const history = [
    day('2015-01-05', 5000),
    day('2015-01-06', 5200),
    day('2015-01-07', 4800),
    day('2015-01-09', 6000),
    day('2015-01-10', 5500),
    day('2015-01-11', 0, 0),
  ];
  const forecast = [
    point('2015-01-12', 5000),
    point('2015-01-13', 5100),
    point('2015-01-14', 0, 0),
    point('2015-01-15', 9000),
  ];

  it('breaks lines and bands on closed and missing days, and keeps every forecast day as a point', () => {
    // Act
    const g = chartGeometry(history, forecast);

    // Assess
    expect(g.history.split('M')).toHaveLength(3); // two runs: 5–7 Jan, 9–10 Jan
    expect(g.forecast.split('M')).toHaveLength(3); // 12–13 Jan, and 15 Jan alone
    expect(g.band80.match(/Z/g)).toHaveLength(2);
    expect(g.band95.match(/Z/g)).toHaveLength(2);
    expect(g.points).toHaveLength(4);
    expect(g.closed.map((c) => c.date)).toEqual(['2015-01-11', '2015-01-14']);
    expect(g.points[2]?.y).toBe(g.plot.bottom);
    expect(g.forecastStart).toBeGreaterThan(g.plot.left);
    expect(g.forecastStart).toBeLessThan(g.points[0]?.x ?? 0);
  });

  it('draws the 80% band inside the 95% band and the axis high enough for both', () => {
    // Act
    const g = chartGeometry(history, forecast);

    // Assess: larger y is lower on the screen
    const [in80, in95] = [ys(g.band80), ys(g.band95)];
    expect(in80).toHaveLength(in95.length);
    // The first run (12–13 Jan): both days' upper bounds, then both lower bounds, in reverse.
    for (const i of [0, 1]) expect(in80[i]).toBeGreaterThan(in95[i] ?? Number.POSITIVE_INFINITY);
    for (const i of [2, 3]) expect(in80[i]).toBeLessThan(in95[i] ?? Number.NEGATIVE_INFINITY);
    // The highest 95% bound is 10,800: ticks in nice steps up past it.
    expect(g.yTicks.map((t) => t.label)).toEqual(['0', '2,500', '5,000', '7,500', '10,000', '12,500']);
    expect(Math.min(...in95)).toBeGreaterThanOrEqual(g.plot.top);
  });

  it('labels months over a long span (the year at the first and at January) and Mondays over a short one', () => {
    // Act / Assess
    expect(timeTicks(epochDay('2014-11-10'), epochDay('2015-03-20')).map((t) => t.label)).toEqual([
      'Dec 2014',
      'Jan 2015',
      'Feb',
      'Mar',
    ]);
    expect(timeTicks(epochDay('2015-01-01'), epochDay('2015-01-20')).map((t) => t.label)).toEqual([
      '5 Jan',
      '12 Jan',
      '19 Jan',
    ]);
  });

  it('finds runs of consecutive open days', () => {
    expect(openRuns(history).map((run) => run.length)).toEqual([3, 2]);
  });

  it('describes the chart in words', () => {
    // Prepare
    const view: ForecastView = {
      store: 1,
      from: '2015-01-12',
      horizon: 4,
      model: {
        version: 'v1',
        family: 'forest',
        trainedThrough: '2015-01-11',
        backtestRmspe: 0.1,
        promotedAt: null,
      },
      points: forecast,
    };

    // Act
    const text = chartDescription(history, view);

    // Assess
    expect(text).toContain('History: 6 days from 5 Jan 2015 to 11 Jan 2015, 1 closed');
    expect(text).toContain('Forecast by Forest v1: 4 days from 12 Jan 2015 to 15 Jan 2015, 3 open');
  });
});

describe('the store in the address', () => {
  const rows = [row(1, null), row(2, 'sarimax'), row(3, 'forest')];
  const known = new Set(rows.map((r) => r.store));

  it('reads and writes ?store=, and opens on the first store with a model', () => {
    expect(storeInSearch('?store=17')).toBe(17);
    expect(storeInSearch('?store=abc')).toBeUndefined();
    expect(storeInSearch('?store=0')).toBeUndefined();
    expect(pathWithStore('/systems/sales?store=2&x=1', 3)).toBe('/systems/sales?store=3&x=1');
    expect(shownStore('', rows)).toBe(2);
    expect(shownStore('?store=3', rows)).toBe(3);
    expect(shownStore('', [row(5, null)])).toBe(5);
  });

  it('takes a typed number as people write it, and says why an unknown one is not shown', () => {
    expect(parseStoreEntry('3', known)).toEqual({ store: 3 });
    expect(parseStoreEntry(' store 0003 ', known)).toEqual({ store: 3 });
    expect(parseStoreEntry('#2', known)).toEqual({ store: 2 });
    expect(parseStoreEntry('9', known)).toEqual({ problem: 'No store 9 in the data; the stores are 1–3.' });
    expect(parseStoreEntry('twelve', known)).toEqual({ problem: 'Type a store number, such as 17.' });
  });

  it('steps to the next and previous store, around the ends', () => {
    expect(neighbour(rows, 3, 1)).toBe(1);
    expect(neighbour(rows, 1, -1)).toBe(3);
    expect(neighbour(rows, 2, 1)).toBe(3);
  });
});

describe('what the page shows for a store', () => {
  const history: HistoryView = { store: 3, days: [day('2015-01-05', 5000)] };
  const forecast = { store: 3 } as ForecastView;

  it('tells no data, no champion, an error and a forecast apart', () => {
    expect(
      detailOf(
        3,
        { ok: false, status: 404, error: 'no data for store 3 has arrived' },
        { ok: false, status: 404, error: 'x' },
      ).state,
    ).toBe('no-data');
    expect(
      detailOf(
        3,
        { ok: true, data: history },
        { ok: false, status: 404, error: 'store 3 has no champion yet: run sales-train' },
      ).state,
    ).toBe('no-champion');
    expect(
      detailOf(
        3,
        { ok: true, data: history },
        { ok: false, status: 404, error: 'no data for store 3 has arrived' },
      ).state,
    ).toBe('no-data');
    expect(
      detailOf(3, { ok: true, data: history }, { ok: false, status: 500, error: 'bucket gone' }),
    ).toEqual({ state: 'error', store: 3, reason: 'bucket gone' });
    expect(
      detailOf(3, { ok: false, status: 0, error: 'Failed to fetch' }, { ok: true, data: forecast }).state,
    ).toBe('error');
    expect(detailOf(3, { ok: true, data: history }, { ok: true, data: forecast }).state).toBe('ready');
  });

  it('writes RMSPE as a percentage', () => {
    expect(formatRmspe(0.1234)).toBe('12.3 %');
    expect(formatRmspe(null)).toBe('–');
  });
});
