import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface LiveSeries {
  label: string;
  values: (number | null)[];
  color: string;
  /** `right`: on a second axis (a loss beside ratios, R² beside errors). @default 'left' */
  axis?: 'left' | 'right';
  /** Points only, no line (the true class: 0 or 1 at each record). */
  points?: boolean;
  /** Line width in pixels. @default 2 */
  width?: number;
}

export interface LiveChartProps {
  /** Epoch milliseconds, one per value. */
  times: number[];
  series: LiveSeries[];
  height: number;
  /** The chart's accessible name; the text summary beside it says what it shows. */
  label: string;
  /** Fixed range of the left axis ([0, 1] for probabilities); unset: fitted to the data, negatives too. */
  leftRange?: [number, number];
}

/**
 * A uPlot time chart whose axes fit the data (targets may be negative), with an optional second
 * axis on the right. Built once per shape, new data set in place so it does not flicker.
 */
export function LiveChart({ times, series, height, label, leftRange }: LiveChartProps) {
  const container = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const data = [times.map((t) => t / 1000), ...series.map((s) => s.values)] as uPlot.AlignedData;
  const hasRight = series.some((s) => s.axis === 'right');
  const shape = series.map((s) => `${s.label}:${s.axis ?? 'left'}:${s.points === true}`).join(',');

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const fixed = leftRange;
    const options: uPlot.Options = {
      width: Math.max(element.clientWidth, 100),
      height,
      scales: {
        x: { time: true },
        y: fixed ? { range: () => fixed } : { auto: true },
        ...(hasRight ? { right: { auto: true } } : {}),
      },
      axes: [
        { space: 80 },
        { scale: 'y', size: 56 },
        ...(hasRight ? [{ scale: 'right', side: 1, size: 56, grid: { show: false } }] : []),
      ],
      series: [
        {},
        ...series.map(
          (s): uPlot.Series => ({
            label: s.label,
            scale: s.axis === 'right' ? 'right' : 'y',
            stroke: s.color,
            width: s.points ? 0 : (s.width ?? 2),
            ...(s.points
              ? { paths: () => null, points: { show: true, size: 5, fill: s.color, stroke: s.color } }
              : { points: { show: false } }),
          }),
        ),
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
  }, [shape, height, hasRight, leftRange?.[0], leftRange?.[1]]);

  useEffect(() => {
    plot.current?.setData(data);
  });

  return <div class="chart" ref={container} role="img" aria-label={label} />;
}
