import {
  type ChartSpec,
  type Line,
  type Point,
  renderChart,
  renderSvg,
} from '../../../core/reports/svg-chart.js';
import { MONITORED_METRICS, type MonitoredMetric, type MonitoringResult } from './monitoring.js';

/**
 * The monitoring report: its JSON (every period's numbers and the alerts) and two pictures, the
 * metrics over time (CBPE's estimate with its band, the realised value once labels are in, the
 * alert threshold) and the drift (PSI per feature as small multiples with the PSI threshold, the
 * PCA reconstruction error with its band).
 */
export interface MonitoringReport {
  readonly json: {
    readonly summary: {
      readonly periods: number;
      readonly from: string | null;
      readonly to: string | null;
      readonly firstAlert: MonitoringResult['firstAlert'];
      readonly alertDays: Readonly<Record<string, number>>;
    };
    readonly result: MonitoringResult;
  };
  readonly metricsSvg: string;
  readonly driftSvg: string;
}

const TITLES: Record<MonitoredMetric, string> = {
  rocAuc: 'ROC-AUC',
  f1: 'F1',
  accuracy: 'accuracy',
  precision: 'precision',
  recall: 'recall',
};

const day = (period: string) => Date.parse(`${period}T00:00:00Z`);

function alertMarkers(result: MonitoringResult): { t: number; label: string }[] {
  return Object.entries(result.firstAlert).map(([kind, period]) => ({
    t: day(period as string),
    label: `first ${kind}`,
  }));
}

function metricChart(result: MonitoringResult, metric: MonitoredMetric): ChartSpec {
  const periods = result.periods;
  const estimated: Point[] = [];
  const realised: Point[] = [];
  const threshold: Point[] = [];
  const lower: Point[] = [];
  const upper: Point[] = [];
  for (const p of periods) {
    const t = day(p.period);
    const value = p.estimated[metric];
    if (value !== null) {
      estimated.push({ t, y: value });
      lower.push({ t, y: p.estimatedBand[metric].lower });
      upper.push({ t, y: p.estimatedBand[metric].upper });
    }
    const known = p.realised?.[metric];
    if (known !== null && known !== undefined) realised.push({ t, y: known });
    threshold.push({ t, y: p.thresholds[metric] });
  }
  const last = periods.at(-1);
  const lines: Line[] = [
    { name: `estimated ${TITLES[metric]} (CBPE)`, color: '#2563eb', points: estimated },
    { name: `realised ${TITLES[metric]}`, color: '#059669', points: realised },
    {
      name: `threshold ${last ? last.thresholds[metric].toFixed(3) : ''}`,
      color: '#dc2626',
      points: threshold,
      dashed: true,
    },
  ];
  return {
    title: `${TITLES[metric]} per day: estimated beside realised`,
    subtitle: `reference (holdout) ${TITLES[metric]} ${result.reference.realisedMeans[metric].toFixed(3)}; alert below the threshold (reference mean − ${result.thresholds.performanceBandStd} std, scaled to the day's size)`,
    yLabel: TITLES[metric],
    width: 960,
    height: 280,
    lines,
    bands: [{ name: 'estimate ± 3 sampling std', color: '#93c5fd', opacity: 0.35, lower, upper }],
    markers: alertMarkers(result),
  };
}

function pcaChart(result: MonitoringResult): ChartSpec {
  const error: Point[] = [];
  const lower: Point[] = [];
  const upper: Point[] = [];
  const drifting: Point[] = [];
  for (const p of result.periods) {
    const t = day(p.period);
    error.push({ t, y: p.pca.error });
    lower.push({ t, y: p.pca.lower });
    upper.push({ t, y: p.pca.upper });
    drifting.push({ t, y: p.driftedFeatures.length });
  }
  return {
    title: 'Multivariate drift: PCA reconstruction error',
    subtitle: `alert outside the band (reference mean ± ${result.thresholds.pcaBandStd} std, scaled to the day's size)`,
    yLabel: 'reconstruction error',
    width: 960,
    height: 280,
    lines: [{ name: 'reconstruction error', color: '#7c3aed', points: error }],
    bands: [{ name: 'reference band', color: '#c4b5fd', opacity: 0.4, lower, upper }],
    markers: alertMarkers(result),
  };
}

/** PSI of one feature per day against the PSI threshold: one small multiple. */
function psiChart(result: MonitoringResult, feature: number, name: string): ChartSpec {
  const psi: Point[] = [];
  const limit: Point[] = [];
  for (const p of result.periods) {
    const t = day(p.period);
    psi.push({ t, y: p.features[feature]?.psi ?? Number.NaN });
    limit.push({ t, y: result.thresholds.psi });
  }
  const max = Math.max(0, ...psi.map((point) => point.y).filter(Number.isFinite));
  return {
    title: name,
    subtitle: `max PSI ${max.toFixed(3)}`,
    yLabel: 'PSI',
    width: 320,
    height: 190,
    lines: [
      { name: 'PSI', color: max > result.thresholds.psi ? '#dc2626' : '#2563eb', points: psi },
      { name: `PSI ${result.thresholds.psi}`, color: '#9ca3af', points: limit, dashed: true },
    ],
  };
}

/** Small multiples in a grid; renderSvg stacks charts vertically only. */
function grid(
  charts: ChartSpec[],
  columns: number,
  top: number,
): { body: string; width: number; height: number } {
  const cellW = Math.max(...charts.map((c) => c.width), 1);
  const cellH = Math.max(...charts.map((c) => c.height), 1);
  const body = charts
    .map((chart, i) => {
      const x = (i % columns) * cellW;
      const y = top + Math.floor(i / columns) * cellH;
      return `<g transform="translate(${x} ${y})">${renderChart(chart)}</g>`;
    })
    .join('');
  return { body, width: cellW * columns, height: Math.ceil(charts.length / columns) * cellH };
}

export function renderMonitoringReport(result: MonitoringResult): MonitoringReport {
  const metricsSvg = renderSvg(MONITORED_METRICS.map((m) => metricChart(result, m)));
  const pca = pcaChart(result);
  const pcaBody = renderChart(pca);
  const cells = grid(
    result.featureNames.map((name, f) => psiChart(result, f, name)),
    3,
    pca.height + 30,
  );
  const width = Math.max(pca.width, cells.width);
  const height = pca.height + 30 + cells.height;
  const driftSvg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><rect width="100%" height="100%" fill="white"/>${pcaBody}<text x="16" y="${pca.height + 20}" font-family="system-ui, sans-serif" font-size="15" font-weight="600">Univariate drift: PSI per feature per day (a feature drifts above PSI ${result.thresholds.psi} plus its small-sample bias, or KS p &lt; ${result.thresholds.ksPValue} ÷ ${result.featureNames.length} features with D ≥ ${result.thresholds.ksMinStatistic})</text>${cells.body}</svg>\n`;
  const alertDays: Record<string, number> = {};
  for (const p of result.periods) for (const a of p.alerts) alertDays[a.kind] = (alertDays[a.kind] ?? 0) + 1;
  return {
    json: {
      summary: {
        periods: result.periods.length,
        from: result.periods[0]?.period ?? null,
        to: result.periods.at(-1)?.period ?? null,
        firstAlert: result.firstAlert,
        alertDays,
      },
      result,
    },
    metricsSvg,
    driftSvg,
  };
}
