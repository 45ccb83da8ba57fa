import { InputError } from '../../../core/data/input-fields.js';
import { isCalendarDate } from '../../../core/pipelines/validation-helpers.js';
import { renderHeatmap } from '../../../core/reports/svg-heatmap.js';
import { renderHistograms } from '../../../core/reports/svg-histogram.js';
import { escapeXml } from '../../../core/reports/xml-text.js';
import { pearson, spearman } from '../../../core/stats/correlation.js';
import { DEFAULT_HORIZON_DAYS } from './features.js';
import type { Row } from './types.js';

/**
 * The exploratory report of the system this replaces, for a date range: per customer, the mean of
 * each daily measure over their active days in the range, and whether they churned; how the
 * measures correlate with each other and with churn (Pearson and Spearman), and how each is
 * distributed for churned and retained customers. JSON for machines, two SVGs for people.
 */

/** Daily summary measures averaged per customer, then `active_day_share`. */
export const EDA_FEATURES: readonly string[] = [
  'calls',
  'minutes',
  'minutes_international',
  'minutes_roaming',
  'dropped_calls',
  'sms',
  'data_sessions',
  'data_mb',
  'care_calls',
  'care_unresolved',
  'late_payments',
  'active_day_share',
];

const BINS = 12;
const QUANTILES = [0.1, 0.25, 0.5, 0.75, 0.9] as const;
const DAY_MS = 86_400_000;

export interface EdaInput {
  readonly startDate: string;
  readonly endDate: string;
  /** Daily summary rows (SUMMARY_COLUMNS); rows outside the range are ignored. */
  readonly summaries: readonly Row[];
  /** Customer rows (CUSTOMER_COLUMNS): signups and churn events. */
  readonly customers: readonly Row[];
  readonly horizonDays?: number;
}

export interface ClassStats {
  readonly n: number;
  readonly mean: number | null;
  readonly p10: number | null;
  readonly p25: number | null;
  readonly p50: number | null;
  readonly p75: number | null;
  readonly p90: number | null;
}

export interface EdaJson {
  readonly system: 'churn';
  readonly report: 'eda';
  readonly startDate: string;
  readonly endDate: string;
  readonly horizonDays: number;
  /** How `churn` is defined for this report, in words. */
  readonly churnDefinition: string;
  readonly churnWindow: { readonly from: string; readonly to: string };
  /** The last day any input row has; the churn window is only complete if it reaches `churnWindow.to`. */
  readonly dataThrough: string;
  readonly churnWindowComplete: boolean;
  /** Customers with activity in the range: the rows behind every number here. */
  readonly rows: number;
  readonly classCounts: { readonly churned: number; readonly stayed: number };
  readonly features: readonly string[];
  /** Square matrices over `variables` (the features, then `churn`); null where undefined. */
  readonly correlation: {
    readonly variables: readonly string[];
    readonly pearson: readonly (readonly (number | null)[])[];
    readonly spearman: readonly (readonly (number | null)[])[];
  };
  /** Each feature's correlation with churn, strongest |Pearson| first. */
  readonly withChurn: readonly { feature: string; pearson: number | null; spearman: number | null }[];
  readonly byClass: Readonly<Record<string, { churned: ClassStats; stayed: ClassStats }>>;
  /** Shared bins per feature (the last bin also holds values above the 99th percentile). */
  readonly histograms: Readonly<Record<string, { edges: number[]; churned: number[]; stayed: number[] }>>;
}

function checkDay(value: unknown, field: string): string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value) || !isCalendarDate(value))
    throw new InputError(`${field} must be a day YYYY-MM-DD, got ${JSON.stringify(value)}`);
  return value;
}

const dayNum = (day: string) => Math.round(Date.parse(`${day}T00:00:00Z`) / DAY_MS);
const dayText = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);
const round4 = (value: number | null) => (value === null ? null : Math.round(value * 10_000) / 10_000);

export function edaReport(input: EdaInput): { json: EdaJson; heatmapSvg: string; histogramsSvg: string } {
  const startDate = checkDay(input.startDate, 'startDate');
  const endDate = checkDay(input.endDate, 'endDate');
  if (startDate > endDate) throw new InputError(`startDate ${startDate} is after endDate ${endDate}`);
  const horizon = input.horizonDays ?? DEFAULT_HORIZON_DAYS;
  if (!(Number.isInteger(horizon) && horizon >= 0))
    throw new InputError(`horizonDays must be a whole number >= 0, got ${horizon}`);
  const churnTo = dayText(dayNum(endDate) + horizon);

  let dataThrough = '';
  const signup = new Map<string, string>();
  const churnDay = new Map<string, string>();
  for (const row of input.customers) {
    const id = row.customer_id as string;
    const day = row.day as string;
    if (day > dataThrough) dataThrough = day;
    if (row.event === 'churn') churnDay.set(id, day);
    else if (typeof row.signup_date === 'string') {
      const known = signup.get(id);
      if (!known || row.signup_date < known) signup.set(id, row.signup_date);
    }
  }

  // Sums over each customer's active days in the range.
  const sums = new Map<string, { days: number; totals: number[] }>();
  const measures = EDA_FEATURES.filter((f) => f !== 'active_day_share');
  for (const row of input.summaries) {
    const day = row.day as string;
    if (day > dataThrough) dataThrough = day;
    if (day < startDate || day > endDate) continue;
    const id = row.customer_id as string;
    let entry = sums.get(id);
    if (!entry) {
      entry = { days: 0, totals: measures.map(() => 0) };
      sums.set(id, entry);
    }
    entry.days++;
    measures.forEach((name, k) => {
      entry.totals[k] = (entry.totals[k] as number) + Number(row[name] ?? 0);
    });
  }
  if (sums.size === 0)
    throw new InputError(`no customer has any activity between ${startDate} and ${endDate}`);

  const ids = [...sums.keys()].sort();
  const columns: number[][] = EDA_FEATURES.map(() => []);
  const churn: number[] = [];
  for (const id of ids) {
    const entry = sums.get(id) as { days: number; totals: number[] };
    measures.forEach((_, k) => {
      (columns[k] as number[]).push((entry.totals[k] as number) / entry.days);
    });
    // The days the customer could have been active: from signup (or the start) to churn (or the end).
    const from = Math.max(dayNum(startDate), dayNum(signup.get(id) ?? startDate));
    const left = churnDay.get(id);
    const to = Math.min(dayNum(endDate), left ? dayNum(left) : Number.POSITIVE_INFINITY);
    (columns[measures.length] as number[]).push(Math.min(1, entry.days / Math.max(1, to - from + 1)));
    churn.push(left !== undefined && left >= startDate && left <= churnTo ? 1 : 0);
  }

  const variables = [...EDA_FEATURES, 'churn'];
  const data = [...columns, churn];
  const matrix = (correlate: typeof pearson) =>
    data.map((xs, i) =>
      data.map((ys, j) => {
        const r = correlate(xs, ys);
        return i === j && r !== null ? 1 : round4(r);
      }),
    );
  const pearsonMatrix = matrix(pearson);
  const spearmanMatrix = matrix(spearman);
  const last = variables.length - 1;
  const withChurn = EDA_FEATURES.map((feature, i) => ({
    feature,
    pearson: pearsonMatrix[i]?.[last] ?? null,
    spearman: spearmanMatrix[i]?.[last] ?? null,
  })).sort((a, b) => Math.abs(b.pearson ?? 0) - Math.abs(a.pearson ?? 0));

  const byClass: Record<string, { churned: ClassStats; stayed: ClassStats }> = {};
  const histograms: Record<string, { edges: number[]; churned: number[]; stayed: number[] }> = {};
  EDA_FEATURES.forEach((feature, k) => {
    const values = columns[k] as number[];
    const churned = values.filter((_, r) => churn[r] === 1);
    const stayed = values.filter((_, r) => churn[r] === 0);
    byClass[feature] = { churned: classStats(churned), stayed: classStats(stayed) };
    const edges = sharedEdges(values);
    histograms[feature] = { edges, churned: binCounts(churned, edges), stayed: binCounts(stayed, edges) };
  });

  const churnedCount = churn.filter((c) => c === 1).length;
  const json: EdaJson = {
    system: 'churn',
    report: 'eda',
    startDate,
    endDate,
    horizonDays: horizon,
    churnDefinition: `churn = 1 when the customer's churn event falls between ${startDate} and ${churnTo} (the range and the ${horizon} days after it)`,
    churnWindow: { from: startDate, to: churnTo },
    dataThrough,
    churnWindowComplete: dataThrough >= churnTo,
    rows: ids.length,
    classCounts: { churned: churnedCount, stayed: ids.length - churnedCount },
    features: EDA_FEATURES,
    correlation: { variables, pearson: pearsonMatrix, spearman: spearmanMatrix },
    withChurn,
    byClass,
    histograms,
  };

  const range = `${startDate} – ${endDate}, ${ids.length} customers (${churnedCount} churned by ${churnTo})`;
  const heatmapSvg = [
    renderHeatmap({ title: `Pearson correlation, ${range}`, rowLabels: variables, values: pearsonMatrix }),
    renderHeatmap({ title: `Spearman correlation, ${range}`, rowLabels: variables, values: spearmanMatrix }),
  ];
  return {
    json,
    heatmapSvg: stack(heatmapSvg, `Correlations, ${range}`),
    histogramsSvg: renderHistograms({
      title: `Per-customer daily means by churn class, ${range}`,
      subtitle:
        'share of each class per bin; bins shared by both classes; the last bin holds values above the 99th percentile',
      series: [
        { name: `churned (${churnedCount})`, color: '#dc2626' },
        { name: `stayed (${ids.length - churnedCount})`, color: '#2563eb' },
      ],
      panels: EDA_FEATURES.map((feature) => {
        const h = histograms[feature] as { edges: number[]; churned: number[]; stayed: number[] };
        return { title: feature, edges: h.edges, counts: [h.churned, h.stayed] };
      }),
    }),
  };
}

/** Two standalone SVG documents side by side in one, keeping one outer `<title>`. */
function stack(svgs: readonly string[], title: string): string {
  let x = 0;
  let height = 0;
  const groups = svgs.map((svg) => {
    const width = Number(/width="(\d+)"/.exec(svg)?.[1] ?? 0);
    height = Math.max(height, Number(/height="(\d+)"/.exec(svg)?.[1] ?? 0));
    const group = `<svg x="${x}" y="0"${svg.trim().slice(4, -6)}</svg>`;
    x += width;
    return group;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" width="${x}" height="${height}" viewBox="0 0 ${x} ${height}"><title>${escapeXml(title)}</title>${groups.join('')}</svg>\n`;
}

function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const position = (sorted.length - 1) * q;
  const lo = Math.floor(position);
  const hi = Math.ceil(position);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (position - lo);
}

function classStats(values: readonly number[]): ClassStats {
  const sorted = [...values].sort((a, b) => a - b);
  const mean = values.length > 0 ? values.reduce((a, b) => a + b, 0) / values.length : null;
  const [p10, p25, p50, p75, p90] = QUANTILES.map((q) => round4(quantile(sorted, q)));
  return {
    n: values.length,
    mean: round4(mean),
    p10: p10 ?? null,
    p25: p25 ?? null,
    p50: p50 ?? null,
    p75: p75 ?? null,
    p90: p90 ?? null,
  };
}

/** Equal-width bins from the minimum to the 99th percentile, so one outlier does not flatten the rest. */
function sharedEdges(values: readonly number[]): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  const lo = sorted[0] ?? 0;
  let hi = quantile(sorted, 0.99) ?? lo;
  if (hi <= lo) hi = (sorted.at(-1) ?? lo) > lo ? (sorted.at(-1) as number) : lo + 1;
  return Array.from({ length: BINS + 1 }, (_, i) => round4(lo + ((hi - lo) * i) / BINS) as number);
}

function binCounts(values: readonly number[], edges: readonly number[]): number[] {
  const bins = edges.length - 1;
  const counts = new Array<number>(bins).fill(0);
  const lo = edges[0] as number;
  const width = ((edges[bins] as number) - lo) / bins;
  for (const value of values) {
    const b = Math.min(bins - 1, Math.max(0, Math.floor((value - lo) / width)));
    counts[b] = (counts[b] as number) + 1;
  }
  return counts;
}
