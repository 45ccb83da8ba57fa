import uPlot from 'uplot';
import { useUPlot } from './use-uplot';

export interface ChartSeries {
  label: string;
  values: (number | null)[];
  color: string;
  /** Bars for counts per bucket, lines for levels. */
  bars?: boolean;
}

export interface TimeChartProps {
  /** Epoch milliseconds, one per value. */
  times: number[];
  series: ChartSeries[];
  height: number;
  /** What the chart shows, for screen readers and as its accessible name. */
  label: string;
  /** No axes, legend or cursor: a sparkline. */
  sparkline?: boolean;
  formatValue?: (value: number) => string;
  /** The y axis reaches at least this high, so a flat zero line does not zoom into noise. @default 1 */
  yAtLeast?: number;
}

/** A uPlot time chart that follows its container's width and takes new data in place. */
export function TimeChart({
  times,
  series,
  height,
  label,
  sparkline = false,
  formatValue,
  yAtLeast = 1,
}: TimeChartProps) {
  const shape = `${sparkline}|${series.map((s) => `${s.label}:${s.bars === true}`).join(',')}`;
  const container = useUPlot({
    times,
    values: series.map((s) => s.values),
    height,
    rebuildOn: [shape, yAtLeast],
    options: () => ({
      legend: { show: !sparkline },
      cursor: { show: !sparkline },
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(yAtLeast, max * 1.1)] } },
      axes: sparkline
        ? [{ show: false }, { show: false }]
        : [
            { space: 80 },
            { values: (_u, ticks) => ticks.map((t) => (formatValue ? formatValue(t) : String(t))), size: 60 },
          ],
      series: [
        {},
        ...series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: sparkline ? 1.5 : 2,
          fill: s.bars ? `${s.color}aa` : `${s.color}33`,
          ...(s.bars ? { paths: uPlot.paths.bars?.({ size: [0.8, 40] }) } : {}),
          points: { show: false },
        })),
      ],
    }),
  });

  return (
    <div class={sparkline ? 'chart sparkline' : 'chart'} ref={container} role="img" aria-label={label} />
  );
}
