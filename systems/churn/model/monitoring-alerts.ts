import type { MetricSet } from '../../../core/metrics/metric-set.js';
import type { AlertKind, MonitoringResult } from './monitoring.js';

/** Alert kinds already sent as events, per champion version (state/churn/alerts.json). */
export type SentAlerts = Record<string, AlertKind[]>;

export interface SentAlert {
  readonly kind: AlertKind;
  /** The first day of the run of days that raised it. */
  readonly firstDay: string;
  readonly days: number;
  readonly reason: string;
}

/**
 * A day's alert is noise until it holds: an alert becomes an event (and a retrain) once the
 * newest `sustainDays` monitored days all raised it. One day below a band happens by chance on a
 * correlated population (the same customers are scored every day); a shift keeps raising it.
 */
export const SUSTAIN_DAYS = 3;

/** The sustained alerts not yet sent for this champion, oldest kind first. */
export function newAlerts(
  result: MonitoringResult,
  modelVersion: string,
  sent: SentAlerts,
  sustainDays = SUSTAIN_DAYS,
): SentAlert[] {
  const already = new Set(sent[modelVersion] ?? []);
  const alerts: SentAlert[] = [];
  const kinds = new Set(result.periods.flatMap((p) => p.alerts.map((a) => a.kind)));
  for (const kind of kinds) {
    if (already.has(kind)) continue;
    // The newest run of consecutive days raising it (realised alerts end where labels stop, so
    // the run is counted among the days that have a verdict for this kind).
    const judged = result.periods.filter((p) => kind !== 'realised-performance-drop' || p.realised !== null);
    let start = judged.length;
    while (start > 0 && judged[start - 1]?.alerts.some((a) => a.kind === kind)) start--;
    const run = judged.slice(start);
    if (run.length < sustainDays) continue;
    const first = run[0];
    const last = run.at(-1);
    if (!first || !last) continue;
    alerts.push({
      kind,
      firstDay: first.period,
      days: run.length,
      reason: last.alerts.find((a) => a.kind === kind)?.reason ?? kind,
    });
  }
  return alerts;
}

/**
 * The newest day's numbers as CloudWatch metrics, at the time of the run (CloudWatch drops values
 * stamped more than 14 days back, and a backfill's days are older; the day is a logged property): estimated and, where
 * settled, realised ROC-AUC and F1, drifting features, PCA error, and the alerts raised — the
 * metric the system's alarm watches.
 */
export function monitoringMetrics(namespace: string, result: MonitoringResult): MetricSet[] {
  const latest = result.periods.at(-1);
  if (!latest) return [];
  const settled = [...result.periods].reverse().find((p) => p.realised !== null);
  const metric = (name: string, value: number | null | undefined) =>
    value === null || value === undefined || !Number.isFinite(value)
      ? []
      : [{ name, unit: 'None' as const, value }];
  return [
    {
      namespace,
      dimensions: { Pipeline: 'churn' },
      metrics: [
        ...metric('ChurnEstimatedRocAuc', latest.estimated.rocAuc),
        ...metric('ChurnEstimatedF1', latest.estimated.f1),
        ...metric('ChurnRealisedRocAuc', settled?.realised?.rocAuc),
        ...metric('ChurnRealisedF1', settled?.realised?.f1),
        { name: 'ChurnDriftedFeatures', unit: 'Count' as const, value: latest.driftedFeatures.length },
        ...metric('ChurnPcaReconstructionError', latest.pca.error),
        { name: 'ChurnMonitoringAlerts', unit: 'Count' as const, value: latest.alerts.length },
      ],
      properties: { period: latest.period },
    },
  ];
}
