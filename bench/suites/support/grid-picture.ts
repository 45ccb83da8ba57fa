/**
 * The SARIMAX grid as a picture: fit time of ours against statsmodels' for every case (log-log,
 * with the 1x, 5x and 20x lines), and the log-likelihood gap of ours and of the arima library to
 * statsmodels' optimum. Plain SVG, written next to the bench's venv (.bench/).
 */
export interface GridPoint {
  family: string;
  label: string;
  oursSeconds: number;
  statsmodelsSeconds: number;
  /** (ours − statsmodels) / |statsmodels| × 100, on statsmodels' likelihood. */
  oursGapPercent: number;
  /** The same for the library's fit; null when it failed. */
  libraryGapPercent: number | null;
}

const COLORS: Record<string, string> = { 'hourly water': '#2563eb', daily: '#16a34a', monthly: '#d97706' };
const WIDTH = 930;
const PANEL = 420;
const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function renderGridPicture(points: readonly GridPoint[], title: string): string {
  const parts: string[] = [
    `<text x="16" y="24" font-size="16" font-weight="600">${escapeXml(title)}</text>`,
    timePanel(points, 16, 40),
    gapPanel(points, 470, 40),
  ];
  const legend = Object.entries(COLORS)
    .map(
      ([family, color], i) =>
        `<circle cx="${30 + i * 140}" cy="${PANEL + 70}" r="5" fill="${color}"/><text x="${40 + i * 140}" y="${PANEL + 74}" font-size="12">${family}</text>`,
    )
    .join('');
  parts.push(legend);
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" width="${WIDTH}" height="${PANEL + 90}" font-family="system-ui, sans-serif"><title>${escapeXml(title)}: fit time of ours against statsmodels, and each fit's log-likelihood gap to statsmodels' optimum</title><rect width="100%" height="100%" fill="white"/>${parts.join('')}</svg>\n`;
}

/** log10 axis from 10^lo to 10^hi onto [0, size]. */
const logScale = (lo: number, hi: number, size: number) => (v: number) =>
  ((Math.log10(Math.max(v, 10 ** lo)) - lo) / (hi - lo)) * size;

function timePanel(points: readonly GridPoint[], x0: number, y0: number): string {
  const size = PANEL - 40;
  const all = points.flatMap((p) => [p.oursSeconds, p.statsmodelsSeconds]).filter((v) => v > 0);
  const lo = Math.floor(Math.log10(Math.min(...all)));
  const hi = Math.ceil(Math.log10(Math.max(...all)));
  const scale = logScale(lo, hi, size);
  const left = x0 + 44;
  const top = y0 + 10;
  const out: string[] = [
    `<text x="${x0}" y="${y0}" font-size="13">fit seconds: ours (up) vs statsmodels (right), log scales</text>`,
    `<rect x="${left}" y="${top}" width="${size}" height="${size}" fill="none" stroke="#9ca3af"/>`,
  ];
  for (let e = lo; e <= hi; e++) {
    const at = scale(10 ** e);
    const label = e >= 0 ? String(10 ** e) : (10 ** e).toFixed(-e);
    out.push(
      `<text x="${left + at}" y="${top + size + 14}" font-size="10" text-anchor="middle">${label}</text>`,
      `<text x="${left - 4}" y="${top + size - at + 3}" font-size="10" text-anchor="end">${label}</text>`,
    );
  }
  // ours = statsmodels / k: the line y = x − log10(k).
  for (const [k, dash] of [
    [1, ''],
    [5, '4 3'],
    [20, '1 3'],
  ] as const) {
    const shift = (Math.log10(k) / (hi - lo)) * size;
    out.push(
      `<line x1="${left + shift}" y1="${top + size}" x2="${left + size}" y2="${top + shift}" stroke="#6b7280" stroke-dasharray="${dash}"/>`,
      `<text x="${left + size - 4}" y="${top + shift - 4}" font-size="10" text-anchor="end" fill="#6b7280">${k}x faster</text>`,
    );
  }
  for (const p of points) {
    out.push(
      `<circle cx="${(left + scale(p.statsmodelsSeconds)).toFixed(1)}" cy="${(top + size - scale(p.oursSeconds)).toFixed(1)}" r="3.5" fill="${COLORS[p.family] ?? '#111827'}" fill-opacity="0.8"><title>${escapeXml(p.label)}</title></circle>`,
    );
  }
  return out.join('');
}

function gapPanel(points: readonly GridPoint[], x0: number, y0: number): string {
  const width = PANEL - 20;
  const height = PANEL - 40;
  const left = x0 + 40;
  const top = y0 + 10;
  // Gaps are clipped to ±100%: a library fit that failed badly would flatten everything else.
  const clip = (v: number) => Math.max(-100, Math.min(5, v));
  const y = (v: number) => top + ((5 - clip(v)) / 105) * height;
  const step = width / Math.max(1, points.length);
  const out: string[] = [
    `<text x="${x0}" y="${y0}" font-size="13">log-likelihood gap to statsmodels, % (● ours, × arima library)</text>`,
    `<rect x="${left}" y="${top}" width="${width}" height="${height}" fill="none" stroke="#9ca3af"/>`,
  ];
  for (const tick of [0, -25, -50, -75, -100])
    out.push(
      `<line x1="${left}" x2="${left + width}" y1="${y(tick)}" y2="${y(tick)}" stroke="#e5e7eb"/>`,
      `<text x="${left - 4}" y="${y(tick) + 3}" font-size="10" text-anchor="end">${tick}</text>`,
    );
  out.push(
    `<line x1="${left}" x2="${left + width}" y1="${y(-0.1)}" y2="${y(-0.1)}" stroke="#dc2626" stroke-dasharray="4 3"/>`,
  );
  points.forEach((p, i) => {
    const cx = left + step * (i + 0.5);
    const color = COLORS[p.family] ?? '#111827';
    if (p.libraryGapPercent !== null) {
      const cy = y(p.libraryGapPercent);
      out.push(
        `<path d="M${cx - 3} ${cy - 3}L${cx + 3} ${cy + 3}M${cx - 3} ${cy + 3}L${cx + 3} ${cy - 3}" stroke="#6b7280"><title>${escapeXml(`${p.label}: library ${p.libraryGapPercent.toFixed(2)}%`)}</title></path>`,
      );
    }
    out.push(
      `<circle cx="${cx.toFixed(1)}" cy="${y(p.oursGapPercent).toFixed(1)}" r="3" fill="${color}"><title>${escapeXml(`${p.label}: ours ${p.oursGapPercent.toFixed(4)}%`)}</title></circle>`,
    );
  });
  out.push(
    `<text x="${left + 4}" y="${top + height + 14}" font-size="10">cases in grid order; red line: −0.1%, the bar (ours must be above it)</text>`,
  );
  return out.join('');
}
