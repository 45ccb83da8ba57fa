/** `2024-03-01 12:00Z`, seconds only when not zero: the CLI's way of writing times. */
export function shortTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const text = date.toISOString();
  const seconds = text.slice(17, 19) === '00' ? '' : text.slice(16, 19);
  return `${text.slice(0, 10)} ${text.slice(11, 16)}${seconds}Z`;
}

/** About four significant digits, integers as they are. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  return Number(value.toPrecision(4)).toString();
}

/** `1.2 s`, `350 ms`, `2.5 min`: a lag people can read. */
export function formatMs(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** A parameter value on one line: strings as they are, the rest as compact JSON. */
export function formatValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
