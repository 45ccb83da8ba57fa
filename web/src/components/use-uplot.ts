import type { Ref } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface UPlotSetup {
  /** Epoch milliseconds, one per value. */
  times: number[];
  /** One array of values per series, in the order of the options' series. */
  values: (number | null)[][];
  height: number;
  /** The chart's options but its size: the chart follows its container's width. */
  options: () => Omit<uPlot.Options, 'width' | 'height'>;
  /** What changes the chart's shape: the chart is rebuilt only when one of these (or the height) does. */
  rebuildOn: unknown[];
}

/**
 * A uPlot time chart in the element the returned ref is given to: as wide as the element, resized
 * with it, and fed new data in place (no rebuild, no flicker) until its shape changes.
 */
export function useUPlot({ times, values, height, options, rebuildOn }: UPlotSetup): Ref<HTMLDivElement> {
  const container = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const data = [times.map((t) => t / 1000), ...values] as uPlot.AlignedData;

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const chart = new uPlot(
      { width: Math.max(element.clientWidth, 100), height, ...options() },
      data,
      element,
    );
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
  }, [height, ...rebuildOn]);

  useEffect(() => {
    plot.current?.setData(data);
  });

  return container;
}
