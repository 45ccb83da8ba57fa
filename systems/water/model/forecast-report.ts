import type { Forecast } from '../../../core/forecasting/types.js';
import { renderSvg } from '../../../core/reports/svg-chart.js';
import { describeGaps, type GapSummary } from './gaps.js';

export interface ReportInput {
  title: string;
  history: { timestamps: string[]; values: number[] };
  forecast?: Forecast & { version: string };
  holdout?: {
    timestamps: string[];
    actual: number[];
    challenger: number[] | null;
    champion: number[] | null;
  };
  decision?: string;
  /** The training window's filled hours, said under the first chart's title. */
  gaps?: GapSummary;
}

const points = (timestamps: string[], values: readonly number[]) =>
  timestamps.map((t, i) => ({ t: Date.parse(t), y: values[i] ?? Number.NaN }));

/**
 * The picture of a run: recent history with the champion's forecast and its 80%/95% intervals,
 * and the held-out window with champion and challenger predictions against what happened.
 */
export function renderForecastReportSvg(input: ReportInput): string {
  const charts = [];
  const forecast = input.forecast;
  const subtitle = [
    ...(forecast ? [`champion ${forecast.version}; 80% and 95% prediction intervals`] : []),
    ...(input.gaps ? [describeGaps(input.gaps)] : []),
  ].join('; ');
  charts.push({
    title: `${input.title}: last week and the champion's forecast`,
    ...(subtitle ? { subtitle } : {}),
    yLabel: 'm³/h per meter',
    width: 960,
    height: 340,
    lines: [
      { name: 'observed', color: '#1f2937', points: points(input.history.timestamps, input.history.values) },
      ...(forecast
        ? [{ name: 'forecast', color: '#2563eb', points: points(forecast.timestamps, forecast.mean) }]
        : []),
    ],
    bands: forecast
      ? [
          {
            name: '95% interval',
            color: '#93c5fd',
            opacity: 0.35,
            lower: points(forecast.timestamps, forecast.lower95),
            upper: points(forecast.timestamps, forecast.upper95),
          },
          {
            name: '80% interval',
            color: '#3b82f6',
            opacity: 0.3,
            lower: points(forecast.timestamps, forecast.lower80),
            upper: points(forecast.timestamps, forecast.upper80),
          },
        ]
      : [],
    ...(forecast?.timestamps[0]
      ? { markers: [{ t: Date.parse(forecast.timestamps[0]), label: 'forecast starts' }] }
      : {}),
  });
  const holdout = input.holdout;
  if (holdout) {
    charts.push({
      title: 'Held-out window: champion vs challenger on the same data',
      ...(input.decision ? { subtitle: input.decision } : {}),
      yLabel: 'm³/h per meter',
      width: 960,
      height: 300,
      lines: [
        { name: 'actual', color: '#1f2937', points: points(holdout.timestamps, holdout.actual) },
        ...(holdout.champion
          ? [
              {
                name: 'champion (refit)',
                color: '#d97706',
                points: points(holdout.timestamps, holdout.champion),
                dashed: true,
              },
            ]
          : []),
        ...(holdout.challenger
          ? [{ name: 'challenger', color: '#059669', points: points(holdout.timestamps, holdout.challenger) }]
          : []),
      ],
    });
  }
  return renderSvg(charts);
}
