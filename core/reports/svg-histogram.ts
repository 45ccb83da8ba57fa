import { escapeXml } from './xml-text.js';

/**
 * Small multiples of histograms, two or more classes overlaid on shared bins (translucent bars,
 * one legend), e.g. each feature's distribution for churned and retained customers. Heights are
 * shares of each class, so a small class reads on the same scale as a large one.
 */
export interface HistogramSeries {
  name: string;
  color: string;
}

export interface HistogramPanel {
  title: string;
  /** Bin edges, ascending: `counts[i]` counts values in [edges[i], edges[i + 1]). */
  edges: readonly number[];
  /** One count list per series, in the order of {@link HistogramSpec.series}. */
  counts: readonly (readonly number[])[];
}

export interface HistogramSpec {
  title: string;
  subtitle?: string;
  series: readonly HistogramSeries[];
  panels: readonly HistogramPanel[];
  /** Panels per row. @default 3 */
  columns?: number;
  /** @default 300 */
  panelWidth?: number;
  /** @default 170 */
  panelHeight?: number;
}

/** Three significant digits, without exponents for the magnitudes these reports have. */
const formatEdge = (value: number) =>
  Math.abs(value) < 0.01 && value !== 0 ? value.toPrecision(2) : String(Number(value.toPrecision(3)));

function renderPanel(
  panel: HistogramPanel,
  series: readonly HistogramSeries[],
  w: number,
  h: number,
): string {
  const margin = { left: 36, right: 10, top: 22, bottom: 30 };
  const plotW = w - margin.left - margin.right;
  const plotH = h - margin.top - margin.bottom;
  const bins = panel.edges.length - 1;
  const shares = panel.counts.map((counts) => {
    const total = counts.reduce((a, b) => a + b, 0);
    return counts.map((c) => (total > 0 ? c / total : 0));
  });
  const top = Math.max(Number.EPSILON, ...shares.flat());
  const parts = [
    `<text x="${margin.left}" y="14" font-size="12" font-weight="600">${escapeXml(panel.title)}</text>`,
  ];
  parts.push(
    `<line x1="${margin.left}" x2="${margin.left + plotW}" y1="${margin.top + plotH}" y2="${margin.top + plotH}" stroke="#9ca3af"/>`,
    `<text x="${margin.left - 4}" y="${margin.top + 8}" text-anchor="end" font-size="9" fill="#4b5563">${(top * 100).toFixed(0)}%</text>`,
  );
  if (bins < 1) {
    parts.push(`<text x="${margin.left}" y="${margin.top + plotH / 2}" font-size="11">no data</text>`);
    return parts.join('');
  }
  const barW = plotW / bins;
  shares.forEach((values, s) => {
    const color = series[s]?.color ?? '#6b7280';
    values.forEach((share, b) => {
      const barH = (share / top) * plotH;
      const range = `${formatEdge(panel.edges[b] as number)}–${formatEdge(panel.edges[b + 1] as number)}`;
      const label = `${series[s]?.name ?? `series ${s + 1}`}, ${range}: ${panel.counts[s]?.[b] ?? 0} (${(share * 100).toFixed(1)}%)`;
      parts.push(
        `<rect x="${(margin.left + b * barW + 0.5).toFixed(1)}" y="${(margin.top + plotH - barH).toFixed(1)}" width="${Math.max(0.5, barW - 1).toFixed(1)}" height="${barH.toFixed(1)}" fill="${color}" fill-opacity="0.45"><title>${escapeXml(label)}</title></rect>`,
      );
    });
  });
  const first = panel.edges[0] as number;
  const last = panel.edges[bins] as number;
  parts.push(
    `<text x="${margin.left}" y="${margin.top + plotH + 14}" font-size="9" fill="#4b5563">${formatEdge(first)}</text>`,
    `<text x="${margin.left + plotW}" y="${margin.top + plotH + 14}" font-size="9" fill="#4b5563" text-anchor="end">${formatEdge(last)}</text>`,
  );
  return parts.join('');
}

export function renderHistograms(spec: HistogramSpec): string {
  const columns = Math.max(1, spec.columns ?? 3);
  const w = spec.panelWidth ?? 300;
  const h = spec.panelHeight ?? 170;
  const header = spec.subtitle ? 64 : 48;
  const rows = Math.ceil(spec.panels.length / columns);
  const width = columns * w + 16;
  const height = header + Math.max(1, rows) * h + 8;
  const parts = [`<text x="16" y="22" font-size="15" font-weight="600">${escapeXml(spec.title)}</text>`];
  if (spec.subtitle)
    parts.push(`<text x="16" y="40" font-size="11" fill="#374151">${escapeXml(spec.subtitle)}</text>`);
  const legendY = header - 12;
  spec.series.forEach((item, i) => {
    const x = 16 + i * 160;
    parts.push(
      `<rect x="${x}" y="${legendY - 9}" width="14" height="10" fill="${item.color}" fill-opacity="0.45"/>`,
      `<text x="${x + 18}" y="${legendY}" font-size="11">${escapeXml(item.name)}</text>`,
    );
  });
  if (spec.panels.length === 0) parts.push(`<text x="16" y="${header + 20}" font-size="12">no data</text>`);
  spec.panels.forEach((panel, i) => {
    const x = 8 + (i % columns) * w;
    const y = header + Math.floor(i / columns) * h;
    parts.push(`<g transform="translate(${x} ${y})">${renderPanel(panel, spec.series, w, h)}</g>`);
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><title>${escapeXml(spec.title)}</title><rect width="100%" height="100%" fill="white"/><g font-family="system-ui, sans-serif">${parts.join('')}</g></svg>\n`;
}
