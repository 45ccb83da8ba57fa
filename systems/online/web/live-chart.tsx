import type uPlot from 'uplot';
import { useUPlot } from '../../../web/src/components/use-uplot';

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
 * axis on the right.
 */
export function LiveChart({ times, series, height, label, leftRange }: LiveChartProps) {
  const hasRight = series.some((s) => s.axis === 'right');
  const shape = series.map((s) => `${s.label}:${s.axis ?? 'left'}:${s.points === true}`).join(',');
  const container = useUPlot({
    times,
    values: series.map((s) => s.values),
    height,
    rebuildOn: [shape, hasRight, leftRange?.[0], leftRange?.[1]],
    options: () => {
      const fixed = leftRange;
      return {
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
    },
  });

  return <div class="chart" ref={container} role="img" aria-label={label} />;
}
