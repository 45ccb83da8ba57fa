/**
 * The forecast chart's geometry, apart from its drawing: scales, the paths of the history line,
 * the forecast line and its two bands, the axes' ticks. Lines and bands break on closed days and
 * on days without a row (a refurbishment), so a gap on the chart is a day with no sales. No DOM.
 */
import type { ForecastPoint, HistoryView } from './sales-api';
import { formatSales, MONTHS } from './sales-format';

export type HistoryDay = HistoryView['days'][number];

/** The SVG's own coordinates (it scales to its container through its viewBox). */
export interface Frame {
  readonly width: number;
  readonly height: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
  readonly left: number;
}

export const FRAME: Frame = { width: 960, height: 320, top: 14, right: 16, bottom: 40, left: 68 };

const DAY_MS = 86_400_000;
export const epochDay = (date: string): number => Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
export const dateOfEpochDay = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

export interface PlacedPoint {
  readonly x: number;
  readonly y: number;
  readonly point: ForecastPoint;
}

export interface ChartGeometry {
  readonly frame: Frame;
  /** The plotting area's edges. */
  readonly plot: {
    readonly left: number;
    readonly right: number;
    readonly top: number;
    readonly bottom: number;
  };
  /** `d` of the history line, one sub-path per run of open days. */
  readonly history: string;
  readonly forecast: string;
  readonly band80: string;
  readonly band95: string;
  /** Every forecast day (closed ones at zero), for markers and their tooltips. */
  readonly points: readonly PlacedPoint[];
  /** Closed days, history and forecast, marked along the time axis. */
  readonly closed: readonly { readonly date: string; readonly x: number }[];
  readonly xTicks: readonly { readonly x: number; readonly label: string }[];
  readonly yTicks: readonly { readonly y: number; readonly label: string }[];
  /** Where the forecast starts (between the last history day and the first forecast day). */
  readonly forecastStart: number | null;
  /** Width of one day: markers and one-day segments are drawn this wide. */
  readonly dayWidth: number;
}

const round = (value: number) => Math.round(value * 10) / 10;

/** The largest "nice" step (1, 2, 2.5 or 5 times a power of ten) giving about `count` ticks up to `max`. */
export function niceStep(max: number, count = 5): number {
  const raw = Math.max(max, 1) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / power;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10;
  return nice * power;
}

/** Runs of consecutive open days: a closed day or a day without a row ends a run. */
export function openRuns<T extends { date: string; open: number }>(days: readonly T[]): T[][] {
  const runs: T[][] = [];
  let current: T[] = [];
  let previous: number | undefined;
  for (const day of days) {
    const at = epochDay(day.date);
    if (day.open !== 1 || (previous !== undefined && at !== previous + 1)) {
      if (current.length > 0) runs.push(current);
      current = [];
    }
    if (day.open === 1) current.push(day);
    previous = at;
  }
  if (current.length > 0) runs.push(current);
  return runs;
}

export function chartGeometry(
  history: readonly HistoryDay[],
  forecast: readonly ForecastPoint[] = [],
  frame: Frame = FRAME,
): ChartGeometry {
  const plot = {
    left: frame.left,
    right: frame.width - frame.right,
    top: frame.top,
    bottom: frame.height - frame.bottom,
  };
  const dates = [...history.map((d) => d.date), ...forecast.map((p) => p.date)].map(epochDay);
  const first = dates.length > 0 ? Math.min(...dates) : 0;
  const last = dates.length > 0 ? Math.max(...dates) : 1;
  const span = Math.max(1, last - first);
  const dayWidth = (plot.right - plot.left) / (span + 1);
  // Half a day of room at each end, so the first and last days' markers stay inside.
  const xOf = (date: string) =>
    round(plot.left + dayWidth / 2 + ((epochDay(date) - first) / span) * (plot.right - plot.left - dayWidth));

  const highest = Math.max(
    1,
    ...history.map((d) => d.sales),
    ...forecast.flatMap((p) => [p.mean, p.hi80, p.hi95]),
  );
  const step = niceStep(highest);
  const top = Math.ceil(highest / step) * step;
  const yOf = (value: number) => round(plot.bottom - (Math.max(0, value) / top) * (plot.bottom - plot.top));
  const half = round(Math.max(1, dayWidth * 0.35));

  const line = (runs: { date: string; value: number }[][]) =>
    runs
      .map((run) => {
        if (run.length === 1) {
          const only = run[0] as { date: string; value: number };
          const x = xOf(only.date);
          return `M${round(x - half)},${yOf(only.value)}H${round(x + half)}`;
        }
        return run.map((p, i) => `${i === 0 ? 'M' : 'L'}${xOf(p.date)},${yOf(p.value)}`).join('');
      })
      .join('');
  const band = (runs: ForecastPoint[][], lo: 'lo80' | 'lo95', hi: 'hi80' | 'hi95') =>
    runs
      .map((run) => {
        const upper = run.map((p) => [xOf(p.date), yOf(p[hi])] as const);
        const lower = run.map((p) => [xOf(p.date), yOf(p[lo])] as const).reverse();
        if (run.length === 1) {
          const [[x, yHi]] = upper as [readonly [number, number]];
          const [[, yLo]] = lower as [readonly [number, number]];
          return `M${round(x - half)},${yHi}H${round(x + half)}V${yLo}H${round(x - half)}Z`;
        }
        return `${[...upper, ...lower].map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${x},${y}`).join('')}Z`;
      })
      .join('');

  const forecastRuns = openRuns(forecast);
  const firstForecast = forecast[0];
  const lastHistory = history.at(-1);
  return {
    frame,
    plot,
    history: line(openRuns(history).map((run) => run.map((d) => ({ date: d.date, value: d.sales })))),
    forecast: line(forecastRuns.map((run) => run.map((p) => ({ date: p.date, value: p.mean })))),
    band80: band(forecastRuns, 'lo80', 'hi80'),
    band95: band(forecastRuns, 'lo95', 'hi95'),
    points: forecast.map((point) => ({
      x: xOf(point.date),
      y: yOf(point.open === 1 ? point.mean : 0),
      point,
    })),
    closed: [...history, ...forecast]
      .filter((d) => d.open !== 1)
      .map((d) => ({ date: d.date, x: xOf(d.date) })),
    xTicks: timeTicks(first, last).map((tick) => ({ x: xOf(tick.date), label: tick.label })),
    yTicks: Array.from({ length: Math.round(top / step) + 1 }, (_, i) => ({
      y: yOf(i * step),
      label: formatSales(i * step),
    })),
    forecastStart: firstForecast
      ? lastHistory
        ? round((xOf(lastHistory.date) + xOf(firstForecast.date)) / 2)
        : round(xOf(firstForecast.date) - dayWidth / 2)
      : null,
    dayWidth: round(dayWidth),
  };
}

/**
 * Dates to label: month starts over a long span (thinned to at most eight), Mondays over a short
 * one. The year is written at the first tick and at each January.
 */
export function timeTicks(first: number, last: number): { date: string; label: string }[] {
  const days = Array.from({ length: Math.max(0, last - first) + 1 }, (_, i) => dateOfEpochDay(first + i));
  if (last - first > 62) {
    const starts = days.filter((d) => d.endsWith('-01'));
    const every = Math.ceil(starts.length / 8);
    return starts
      .filter((_, i) => i % every === 0)
      .map((date, i) => {
        const month = Number(date.slice(5, 7));
        const name = MONTHS[month - 1] ?? '';
        return { date, label: i === 0 || month === 1 ? `${name} ${date.slice(0, 4)}` : name };
      });
  }
  // 1970-01-05 was a Monday.
  const mondays = days.filter((d) => (((epochDay(d) - 4) % 7) + 7) % 7 === 0);
  return mondays.map((date) => ({
    date,
    label: `${Number(date.slice(8, 10))} ${MONTHS[Number(date.slice(5, 7)) - 1] ?? ''}`,
  }));
}
