/**
 * A small, dependency-free SVG line chart: lines, shaded bands, time axis, legend. Enough for
 * run reports people open in a browser or the S3 console; no chart library in a Lambda bundle.
 */
export interface Point {
  t: number;
  y: number;
}

export interface Line {
  name: string;
  color: string;
  points: Point[];
  dashed?: boolean;
}

export interface Band {
  name: string;
  color: string;
  opacity: number;
  lower: Point[];
  upper: Point[];
}

export interface ChartSpec {
  title: string;
  /** A smaller line under the title (e.g. the decision and its reason). */
  subtitle?: string;
  yLabel: string;
  width: number;
  height: number;
  lines: Line[];
  bands?: Band[];
  /** Vertical markers, e.g. where the forecast starts. */
  markers?: { t: number; label: string }[];
}

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function niceTicks(min: number, max: number, count: number): number[] {
  const span = max - min || 1;
  const raw = span / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step)
    ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

/** One chart as an SVG `<g>` at the origin; `renderSvg` wraps one or more into a document. */
export function renderChart(spec: ChartSpec): string {
  const margin = { left: 64, right: 16, top: spec.subtitle ? 50 : 36, bottom: 48 };
  const plotW = spec.width - margin.left - margin.right;
  const plotH = spec.height - margin.top - margin.bottom;
  const all = [
    ...spec.lines.flatMap((l) => l.points),
    ...(spec.bands ?? []).flatMap((b) => [...b.lower, ...b.upper]),
  ].filter((p) => Number.isFinite(p.y) && Number.isFinite(p.t));
  if (all.length === 0) {
    return `<g><text x="${spec.width / 2}" y="${spec.height / 2}" text-anchor="middle">${escapeXml(spec.title)}: no data</text></g>`;
  }
  const tMin = Math.min(...all.map((p) => p.t));
  const tMax = Math.max(...all.map((p) => p.t));
  const yTicks = niceTicks(Math.min(...all.map((p) => p.y)), Math.max(...all.map((p) => p.y)), 5);
  const yMin = Math.min(yTicks[0] ?? 0, ...all.map((p) => p.y));
  const yMax = Math.max(yTicks.at(-1) ?? 1, ...all.map((p) => p.y));
  const x = (t: number) => margin.left + ((t - tMin) / (tMax - tMin || 1)) * plotW;
  const y = (v: number) => margin.top + plotH - ((v - yMin) / (yMax - yMin || 1)) * plotH;
  const path = (points: Point[]) =>
    points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.t).toFixed(1)},${y(p.y).toFixed(1)}`).join('');

  const parts: string[] = [];
  parts.push(
    `<text x="${margin.left}" y="22" font-size="15" font-weight="600">${escapeXml(spec.title)}</text>`,
  );
  if (spec.subtitle) {
    // About 7 px a character at 11 px: cut to the width rather than run off the picture.
    const room = Math.floor((spec.width - margin.left) / 6.2);
    const text = spec.subtitle.length > room ? `${spec.subtitle.slice(0, room - 1)}…` : spec.subtitle;
    parts.push(`<text x="${margin.left}" y="38" font-size="11" fill="#374151">${escapeXml(text)}</text>`);
  }
  for (const tick of yTicks) {
    parts.push(
      `<line x1="${margin.left}" x2="${margin.left + plotW}" y1="${y(tick)}" y2="${y(tick)}" stroke="#e5e7eb"/>`,
    );
    parts.push(
      `<text x="${margin.left - 6}" y="${y(tick) + 4}" text-anchor="end" font-size="11" fill="#4b5563">${tick}</text>`,
    );
  }
  const dayMs = 86_400_000;
  const tickStep = Math.max(1, Math.ceil((tMax - tMin) / dayMs / 8)) * dayMs;
  for (let t = Math.ceil(tMin / dayMs) * dayMs; t <= tMax; t += tickStep) {
    parts.push(
      `<line x1="${x(t)}" x2="${x(t)}" y1="${margin.top}" y2="${margin.top + plotH}" stroke="#f3f4f6"/>`,
    );
    parts.push(
      `<text x="${x(t)}" y="${margin.top + plotH + 16}" text-anchor="middle" font-size="11" fill="#4b5563">${new Date(t).toISOString().slice(5, 10)}</text>`,
    );
  }
  parts.push(
    `<text x="14" y="${margin.top + plotH / 2}" font-size="11" fill="#4b5563" transform="rotate(-90 14 ${margin.top + plotH / 2})" text-anchor="middle">${escapeXml(spec.yLabel)}</text>`,
  );
  for (const band of spec.bands ?? []) {
    const outline = `${path(band.upper)}${[...band.lower]
      .reverse()
      .map((p) => `L${x(p.t).toFixed(1)},${y(p.y).toFixed(1)}`)
      .join('')}Z`;
    parts.push(`<path d="${outline}" fill="${band.color}" fill-opacity="${band.opacity}" stroke="none"/>`);
  }
  for (const marker of spec.markers ?? []) {
    parts.push(
      `<line x1="${x(marker.t)}" x2="${x(marker.t)}" y1="${margin.top}" y2="${margin.top + plotH}" stroke="#9ca3af" stroke-dasharray="4 3"/>`,
    );
    parts.push(
      `<text x="${x(marker.t) + 4}" y="${margin.top + 12}" font-size="11" fill="#6b7280">${escapeXml(marker.label)}</text>`,
    );
  }
  for (const line of spec.lines) {
    parts.push(
      `<path d="${path(line.points)}" fill="none" stroke="${line.color}" stroke-width="1.6"${line.dashed ? ' stroke-dasharray="6 3"' : ''}/>`,
    );
  }
  const legend = [
    ...spec.lines.map((l) => ({ name: l.name, color: l.color, opacity: 1 })),
    ...(spec.bands ?? []),
  ];
  legend.forEach((item, i) => {
    const lx = margin.left + i * 150;
    const ly = spec.height - 14;
    parts.push(
      `<rect x="${lx}" y="${ly - 9}" width="14" height="10" fill="${item.color}" fill-opacity="${item.opacity}"/>`,
    );
    parts.push(`<text x="${lx + 18}" y="${ly}" font-size="11">${escapeXml(item.name)}</text>`);
  });
  return `<g font-family="system-ui, sans-serif">${parts.join('')}</g>`;
}

/** Horizontal bars with an optional threshold line, e.g. a drift measure per feature. */
export interface BarChartSpec {
  kind: 'bars';
  title: string;
  subtitle?: string;
  width: number;
  height: number;
  bars: { label: string; value: number; color: string }[];
  threshold?: { value: number; label: string };
}

export function renderBarChart(spec: BarChartSpec): string {
  const margin = { left: 200, right: 60, top: spec.subtitle ? 50 : 36, bottom: 24 };
  const parts: string[] = [
    `<text x="16" y="22" font-size="15" font-weight="600">${escapeXml(spec.title)}</text>`,
  ];
  if (spec.subtitle)
    parts.push(`<text x="16" y="38" font-size="11" fill="#374151">${escapeXml(spec.subtitle)}</text>`);
  if (spec.bars.length === 0) {
    parts.push(`<text x="16" y="${margin.top + 16}" font-size="12">no data</text>`);
    return `<g font-family="system-ui, sans-serif">${parts.join('')}</g>`;
  }
  const max = Math.max(spec.threshold?.value ?? 0, ...spec.bars.map((b) => b.value), Number.EPSILON);
  const plotW = spec.width - margin.left - margin.right;
  const rowH = Math.min(22, (spec.height - margin.top - margin.bottom) / spec.bars.length);
  spec.bars.forEach((bar, i) => {
    const y = margin.top + i * rowH;
    const w = (Math.max(0, bar.value) / max) * plotW;
    parts.push(
      `<text x="${margin.left - 8}" y="${y + rowH * 0.7}" text-anchor="end" font-size="11">${escapeXml(bar.label)}</text>`,
    );
    parts.push(
      `<rect x="${margin.left}" y="${y + 2}" width="${w.toFixed(1)}" height="${(rowH - 4).toFixed(1)}" fill="${bar.color}"/>`,
    );
    parts.push(
      `<text x="${margin.left + w + 4}" y="${y + rowH * 0.7}" font-size="10" fill="#4b5563">${bar.value.toPrecision(3)}</text>`,
    );
  });
  if (spec.threshold) {
    const x = margin.left + (spec.threshold.value / max) * plotW;
    const bottom = margin.top + spec.bars.length * rowH;
    parts.push(
      `<line x1="${x}" x2="${x}" y1="${margin.top}" y2="${bottom}" stroke="#dc2626" stroke-dasharray="4 3"/>`,
    );
    parts.push(
      `<text x="${x + 4}" y="${bottom + 14}" font-size="10" fill="#dc2626">${escapeXml(spec.threshold.label)}</text>`,
    );
  }
  return `<g font-family="system-ui, sans-serif">${parts.join('')}</g>`;
}

/** Stacks charts vertically in one SVG document. */
export function renderSvg(charts: (ChartSpec | BarChartSpec)[]): string {
  const width = Math.max(...charts.map((c) => c.width));
  let offset = 0;
  const groups = charts.map((chart) => {
    const body = 'kind' in chart ? renderBarChart(chart) : renderChart(chart);
    const group = `<g transform="translate(0 ${offset})">${body}</g>`;
    offset += chart.height;
    return group;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${offset}" viewBox="0 0 ${width} ${offset}"><rect width="100%" height="100%" fill="white"/>${groups.join('')}</svg>\n`;
}
