import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

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
  const container = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const data = [times.map((t) => t / 1000), ...series.map((s) => s.values)] as uPlot.AlignedData;
  const shape = `${sparkline}|${series.map((s) => `${s.label}:${s.bars === true}`).join(',')}`;

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const options: uPlot.Options = {
      width: Math.max(element.clientWidth, 100),
      height,
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
    };
    const chart = new uPlot(options, data, element);
    plot.current = chart;
    const resize = new ResizeObserver(() =>
      chart.setSize({ width: Math.max(element.clientWidth, 100), height }),
    );
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
      plot.current = null;
    };
    // Rebuilt only when the chart's shape changes; new data goes in through setData below.
  }, [shape, height, yAtLeast]);

  useEffect(() => {
    plot.current?.setData(data);
  });

  return (
    <div class={sparkline ? 'chart sparkline' : 'chart'} ref={container} role="img" aria-label={label} />
  );
}
