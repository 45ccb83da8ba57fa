import { escapeXml } from './xml-text.js';

/**
 * A labelled matrix as an SVG heatmap: a diverging scale from −1 (red) through 0 (white) to +1
 * (blue), the value printed in each cell, for correlation matrices. A standalone document with a
 * `<title>`, so screen readers and the browser tab name it.
 */
export interface HeatmapSpec {
  title: string;
  subtitle?: string;
  rowLabels: readonly string[];
  /** @default rowLabels (a square matrix) */
  columnLabels?: readonly string[];
  /** Row-major, in [-1, 1]; null for an undefined cell (printed as –, drawn grey). */
  values: readonly (readonly (number | null)[])[];
  /** @default 34 */
  cellSize?: number;
  /** Decimals printed in a cell. @default 2 */
  digits?: number;
}

const NEGATIVE = [185, 28, 28];
const ZERO = [255, 255, 255];
const POSITIVE = [29, 78, 216];

/** The fill of a value on the diverging scale; values outside [-1, 1] are clamped. */
export function divergingColor(value: number): string {
  const v = Math.max(-1, Math.min(1, value));
  const end = v < 0 ? NEGATIVE : POSITIVE;
  const t = Math.abs(v);
  const channel = (i: number) =>
    Math.round((ZERO[i] as number) + ((end[i] as number) - (ZERO[i] as number)) * t);
  return `rgb(${channel(0)},${channel(1)},${channel(2)})`;
}

export function renderHeatmap(spec: HeatmapSpec): string {
  const columns = spec.columnLabels ?? spec.rowLabels;
  const cell = spec.cellSize ?? 34;
  const digits = spec.digits ?? 2;
  if (
    spec.values.length !== spec.rowLabels.length ||
    spec.values.some((row) => row.length !== columns.length)
  )
    throw new Error(
      `heatmap "${spec.title}": values must be ${spec.rowLabels.length} rows of ${columns.length} cells`,
    );
  const longest = (labels: readonly string[]) => Math.max(0, ...labels.map((l) => l.length));
  const left = 16 + longest(spec.rowLabels) * 6.5;
  const top = (spec.subtitle ? 56 : 40) + longest(columns) * 4.8 + 8;
  // Column labels lean right at 45°: the last one needs room past the grid.
  const width = Math.ceil(left + columns.length * cell + Math.max(24, longest(columns) * 4.8 + 8));
  const legendY = top + spec.rowLabels.length * cell + 16;
  const height = Math.ceil(legendY + 40);

  const parts: string[] = [
    `<text x="16" y="22" font-size="15" font-weight="600">${escapeXml(spec.title)}</text>`,
  ];
  if (spec.subtitle)
    parts.push(`<text x="16" y="40" font-size="11" fill="#374151">${escapeXml(spec.subtitle)}</text>`);
  columns.forEach((label, j) => {
    const x = left + j * cell + cell / 2;
    parts.push(
      `<text x="${x.toFixed(1)}" y="${(top - 6).toFixed(1)}" font-size="11" transform="rotate(-45 ${x.toFixed(1)} ${(top - 6).toFixed(1)})">${escapeXml(label)}</text>`,
    );
  });
  spec.rowLabels.forEach((label, i) => {
    const y = top + i * cell;
    parts.push(
      `<text x="${(left - 6).toFixed(1)}" y="${(y + cell / 2 + 4).toFixed(1)}" text-anchor="end" font-size="11">${escapeXml(label)}</text>`,
    );
    (spec.values[i] ?? []).forEach((value, j) => {
      const x = left + j * cell;
      const defined = value !== null && Number.isFinite(value);
      const fill = defined ? divergingColor(value) : '#e5e7eb';
      const ink = defined && Math.abs(value) > 0.6 ? 'white' : '#111827';
      const text = defined ? value.toFixed(digits) : '–';
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${cell}" height="${cell}" fill="${fill}" stroke="white"><title>${escapeXml(`${label} × ${columns[j]}: ${text}`)}</title></rect>`,
        `<text x="${(x + cell / 2).toFixed(1)}" y="${(y + cell / 2 + 3.5).toFixed(1)}" text-anchor="middle" font-size="${cell >= 30 ? 10 : 8}" fill="${ink}">${text}</text>`,
      );
    });
  });
  // The scale: −1 … 0 … +1 in eleven steps.
  for (let k = 0; k <= 10; k++) {
    const v = -1 + k / 5;
    parts.push(
      `<rect x="${(left + k * 14).toFixed(1)}" y="${legendY}" width="14" height="10" fill="${divergingColor(v)}"/>`,
    );
  }
  parts.push(
    `<text x="${left.toFixed(1)}" y="${legendY + 24}" font-size="10">−1</text>`,
    `<text x="${(left + 77).toFixed(1)}" y="${legendY + 24}" font-size="10" text-anchor="middle">0</text>`,
    `<text x="${(left + 154).toFixed(1)}" y="${legendY + 24}" font-size="10" text-anchor="end">+1</text>`,
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><title>${escapeXml(spec.title)}</title><rect width="100%" height="100%" fill="white"/><g font-family="system-ui, sans-serif">${parts.join('')}</g></svg>\n`;
}
