import type { DriftReport } from '../../../core/drift/compare.js';
import { type BarChartSpec, type ChartSpec, type Point, renderSvg } from '../../../core/reports/svg-chart.js';

/** Sensor-days per cluster on each day: the series of the report's first chart. */
export type ClusterSizes = Record<string, Point[]>;

/** What a training run decided (the promote step's outcome), when the report follows training. */
export interface ReportDecision {
  readonly promoted: boolean;
  readonly reason: string;
  readonly championVersion: string | null;
  readonly challengerVersion: string;
}

export interface ClusterReportInput {
  readonly runId: string;
  /** Per day (oldest first), that day's sensor-days per cluster. */
  readonly countsByDay: readonly { readonly day: string; readonly counts: Record<string, number> }[];
  /** The drift comparison of this run; undefined when the drift step was skipped or failed. */
  readonly drift: (DriftReport & { current: string }) | undefined;
  readonly decision: ReportDecision | undefined;
  readonly createdAt: string;
}

const COLORS = ['#2563eb', '#059669', '#d97706', '#dc2626', '#7c3aed', '#0891b2', '#4b5563'];

/** The run report: its JSON summary and its picture (cluster sizes over time, the latest day's drift). */
export function clusterReport(input: ClusterReportInput): { summary: Record<string, unknown>; svg: string } {
  const sizes: ClusterSizes = {};
  for (const { day, counts } of input.countsByDay)
    for (const [cluster, count] of Object.entries(counts)) {
      const series = sizes[cluster] ?? [];
      series.push({ t: Date.parse(day), y: count });
      sizes[cluster] = series;
    }
  const drifted = input.drift?.drifted ?? [];
  const sizesChart: ChartSpec = {
    title: 'Sensor-days per cluster, by day',
    subtitle: `${input.decision?.reason ?? 'inference run'}; drifted features: ${drifted.length > 0 ? drifted.join(', ') : 'none'}`,
    yLabel: 'sensor-days',
    width: 960,
    height: 340,
    lines: Object.entries(sizes).map(([cluster, points], i) => ({
      name: `cluster ${cluster}`,
      color: COLORS[i % COLORS.length] as string,
      points,
    })),
  };
  return {
    summary: {
      pipeline: 'sensors',
      runId: input.runId,
      createdAt: input.createdAt,
      training: input.decision ?? null,
      drifted,
      clusterSizes: sizes,
    },
    svg: renderSvg([sizesChart, driftBars(input.drift)]),
  };
}

/** The drift picture: how far each feature's mean moved, in reference standard deviations. */
function driftBars(report: (DriftReport & { current: string }) | undefined): BarChartSpec {
  const features = (report?.features ?? []).filter((f) => f.judged && f.meanShiftSd !== null);
  const top = [...features]
    .sort((a, b) => Math.abs(b.meanShiftSd ?? 0) - Math.abs(a.meanShiftSd ?? 0))
    .slice(0, 15);
  return {
    kind: 'bars',
    title: 'Feature drift: mean shift of the latest day, in reference standard deviations',
    subtitle: !report
      ? 'no drift comparison in this run'
      : features.length === 0
        ? `${report.current}: not judged (${report.notJudged.length} features had fewer values than the minimum per window)`
        : `${report.current} against the previous days; red: drifted (${report.drifted.join(', ') || 'none'})`,
    width: 960,
    height: Math.max(120, 60 + top.length * 22),
    bars: top.map((f) => ({
      label: f.name,
      value: Math.abs(f.meanShiftSd ?? 0),
      color: f.drifted ? '#dc2626' : '#9ca3af',
    })),
    threshold: { value: report?.thresholds.maxMeanShiftSd ?? 0.5, label: 'drift threshold' },
  };
}
