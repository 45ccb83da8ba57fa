import { chartGeometry, type HistoryDay } from './chart-geometry';
import { chartDescription } from './chart-summary';
import type { ForecastView } from './sales-api';
import { formatDay, formatSales } from './sales-format';

/**
 * A store's recent sales and its forecast as one SVG: the history line, the forecast line with
 * its 95% band and the 80% band inside it, closed days as gaps (and ticks along the time axis).
 * Drawn by hand rather than with uPlot: bands between two series and gaps by day are what it
 * does not do well, and the SVG keeps a title and a description for screen readers.
 */
export function ForecastChart({
  store,
  history,
  forecast,
}: {
  store: number;
  history: readonly HistoryDay[];
  forecast: ForecastView | undefined;
}) {
  const g = chartGeometry(history, forecast?.points ?? []);
  const titleId = `sales-chart-title-${store}`;
  const descId = `sales-chart-desc-${store}`;
  const title = forecast
    ? `Store ${store}: daily sales and the ${forecast.horizon}-day forecast with 80% and 95% intervals`
    : `Store ${store}: daily sales`;
  const { plot } = g;
  return (
    <figure class="sales-chart">
      <svg
        viewBox={`0 0 ${g.frame.width} ${g.frame.height}`}
        role="img"
        aria-labelledby={`${titleId} ${descId}`}
        data-horizon={forecast?.points.length ?? 0}
      >
        <title id={titleId}>{title}</title>
        <desc id={descId}>{chartDescription(history, forecast)}</desc>
        <g class="sales-grid">
          {g.yTicks.map((tick) => (
            <g key={tick.label}>
              <line x1={plot.left} x2={plot.right} y1={tick.y} y2={tick.y} />
              <text x={plot.left - 6} y={tick.y} class="sales-axis-label y">
                {tick.label}
              </text>
            </g>
          ))}
          {g.xTicks.map((tick) => (
            <g key={tick.label + tick.x}>
              <line class="x" x1={tick.x} x2={tick.x} y1={plot.top} y2={plot.bottom} />
              <text x={tick.x} y={plot.bottom + 24} class="sales-axis-label x">
                {tick.label}
              </text>
            </g>
          ))}
        </g>
        {g.forecastStart !== null && (
          <g class="sales-forecast-start">
            <line x1={g.forecastStart} x2={g.forecastStart} y1={plot.top} y2={plot.bottom} />
            <text x={g.forecastStart + 4} y={plot.top + 10}>
              forecast →
            </text>
          </g>
        )}
        <path class="sales-band band-95" d={g.band95} data-band="95" />
        <path class="sales-band band-80" d={g.band80} data-band="80" />
        <path class="sales-line history-line" d={g.history} />
        <path class="sales-line forecast-line" d={g.forecast} />
        <g class="sales-closed">
          {g.closed.map((c) => (
            <line key={c.date} x1={c.x} x2={c.x} y1={plot.bottom + 2} y2={plot.bottom + 8} />
          ))}
        </g>
        <g class="sales-points">
          {g.points.map(({ x, y, point }) => (
            <circle
              key={point.date}
              class={point.open === 1 ? 'forecast-point' : 'forecast-point closed'}
              cx={x}
              cy={y}
              r={Math.min(3.5, Math.max(1.5, g.dayWidth / 2.5))}
            >
              <title>
                {point.open === 1
                  ? `${formatDay(point.date)}: ${formatSales(point.mean)} (80% ${formatSales(point.lo80)}–${formatSales(point.hi80)}, 95% ${formatSales(point.lo95)}–${formatSales(point.hi95)})`
                  : `${formatDay(point.date)}: closed`}
              </title>
            </circle>
          ))}
        </g>
        <line class="sales-axis" x1={plot.left} x2={plot.right} y1={plot.bottom} y2={plot.bottom} />
      </svg>
      <figcaption class="sales-legend small">
        <span class="key history">sales</span>
        {forecast && (
          <>
            <span class="key forecast">forecast</span>
            <span class="key band-80">80% interval</span>
            <span class="key band-95">95% interval</span>
          </>
        )}
        <span class="key closed">closed day</span>
      </figcaption>
    </figure>
  );
}
