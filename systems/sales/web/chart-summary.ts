/** The forecast chart in words: its accessible description and the caption under it. No DOM. */
import type { HistoryDay } from './chart-geometry';
import type { ForecastView } from './sales-api';
import { formatDay, formatFamily, formatSales } from './sales-format';

const meanOpen = (values: readonly { open: number; value: number }[]) => {
  const open = values.filter((v) => v.open === 1);
  return open.length > 0 ? open.reduce((sum, v) => sum + v.value, 0) / open.length : 0;
};

export function historySummary(history: readonly HistoryDay[]): string {
  const first = history[0];
  const last = history.at(-1);
  if (!first || !last) return 'No history.';
  const closed = history.filter((d) => d.open !== 1).length;
  const mean = meanOpen(history.map((d) => ({ open: d.open, value: d.sales })));
  return `History: ${history.length} days from ${formatDay(first.date)} to ${formatDay(last.date)}, ${closed} closed; ${formatSales(mean)} a day on average when open.`;
}

export function forecastSummary(forecast: ForecastView): string {
  const first = forecast.points[0];
  const last = forecast.points.at(-1);
  if (!first || !last) return 'No forecast days.';
  const open = forecast.points.filter((p) => p.open === 1);
  const mean = meanOpen(forecast.points.map((p) => ({ open: p.open, value: p.mean })));
  const widest = open.reduce((w, p) => Math.max(w, p.hi95 - p.lo95), 0);
  return `Forecast by ${formatFamily(forecast.model.family)} ${forecast.model.version}: ${forecast.points.length} days from ${formatDay(first.date)} to ${formatDay(last.date)}, ${open.length} open, ${formatSales(mean)} a day on average when open; the 95% interval is at most ${formatSales(widest)} wide, the 80% interval inside it.`;
}

/** The whole chart: history, then the forecast when there is one. Closed days are gaps. */
export function chartDescription(history: readonly HistoryDay[], forecast: ForecastView | undefined): string {
  const parts = [historySummary(history)];
  if (forecast) parts.push(forecastSummary(forecast));
  parts.push('Closed days are gaps in the lines, marked along the time axis.');
  return parts.join(' ');
}
