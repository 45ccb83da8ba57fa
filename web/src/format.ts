// The CLI's way of writing times and sizes, so the pages and the terminal read the same.
export { formatBytes, shortTime } from '../../cli/format';

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

/** A parameter value on one line: strings as they are, the rest as compact JSON. */
export function formatValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
