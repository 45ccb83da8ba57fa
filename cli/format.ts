/** Plain-text output helpers: aligned tables and numbers people can read. */

export type Align = 'left' | 'right';

/** Columns padded to their widest cell, two spaces apart, no trailing spaces. */
export function table(headers: string[], rows: string[][], align: Align[] = []): string {
  const widths = headers.map((header, j) =>
    Math.max(width(header), ...rows.map((row) => width(row[j] ?? ''))),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, j) => {
        const pad = ' '.repeat((widths[j] ?? 0) - width(cell));
        return align[j] === 'right' ? pad + cell : cell + pad;
      })
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

/** Display width: code points, so ★ and ✔ count as one column. */
function width(text: string): number {
  return [...text].length;
}

/** A number with a fixed count of decimals, or "–" when it is missing. */
export function fixed(value: number | undefined, decimals: number): string {
  return value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(decimals);
}

/**
 * Decimals that show about four significant digits of the largest magnitude: 1234 → 0,
 * 12.3 → 2, 0.05 → 4. One count for a whole column keeps its decimal points aligned.
 */
export function decimalsFor(values: readonly number[]): number {
  const largest = Math.max(0, ...values.filter(Number.isFinite).map(Math.abs));
  if (largest === 0) return 2;
  return Math.min(6, Math.max(0, 3 - Math.floor(Math.log10(largest))));
}

/** `2024-03-01 12:00Z`, with `:SS` only when the seconds are not zero (milliseconds are dropped). */
export function shortTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const text = date.toISOString();
  const seconds = text.slice(17, 19) === '00' ? '' : text.slice(16, 19);
  return `${text.slice(0, 10)} ${text.slice(11, 16)}${seconds}Z`;
}

/** `1 h`, `15 min`, `1 d`, `90 s`: the largest unit that divides the step. */
export function formatStep(stepMs: number): string {
  const units: [number, string][] = [
    [86_400_000, 'd'],
    [3_600_000, 'h'],
    [60_000, 'min'],
    [1_000, 's'],
  ];
  for (const [size, unit] of units) if (stepMs % size === 0) return `${stepMs / size} ${unit}`;
  return `${stepMs} ms`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** `key   value` lines with the keys padded to one width. */
export function keyValues(pairs: [string, string][]): string {
  const keyWidth = Math.max(...pairs.map(([key]) => key.length));
  return pairs.map(([key, value]) => `${key.padEnd(keyWidth)}  ${value}`).join('\n');
}
