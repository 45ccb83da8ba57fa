/** Small checks shared by record specs; each returns a reason or `undefined`. */

const MIN_TIMESTAMP_MS = Date.UTC(2000, 0, 1);
/** Readings may run ahead of the stream's clock by clock skew, not by days. */
export const MAX_FUTURE_SKEW_MS = 24 * 3600 * 1000;

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Field set must match exactly: missing fields and unexpected ones are both named. */
export function checkFieldSet(
  data: Record<string, unknown>,
  required: readonly string[],
  optional: readonly string[] = [],
): string | undefined {
  const missing = required.filter((field) => !(field in data));
  if (missing.length > 0) return `missing field(s): ${missing.join(', ')}`;
  const allowed = new Set([...required, ...optional]);
  const extra = Object.keys(data).filter((field) => !allowed.has(field));
  if (extra.length > 0)
    return `unexpected field(s): ${extra.join(', ')} (allowed: ${[...allowed].join(', ')})`;
  return undefined;
}

export function checkNonEmptyString(
  data: Record<string, unknown>,
  field: string,
  maxLength = 128,
): string | undefined {
  const value = data[field];
  if (typeof value !== 'string') return `${field} must be a string, got ${describeType(value)}`;
  if (value.length === 0 || value.length > maxLength)
    return `${field} must be 1-${maxLength} characters, got ${value.length}`;
  return undefined;
}

/**
 * An identifier (a meter, zone or sensor id): a non-empty string of at most `maxLength`
 * characters with no control character. Identifiers end up in partition keys, natural keys, S3
 * objects and log lines, where a NUL or BEL silently splits or garbles them.
 */
export function checkIdentifier(
  data: Record<string, unknown>,
  field: string,
  maxLength = 128,
): string | undefined {
  const reason = checkNonEmptyString(data, field, maxLength);
  if (reason) return reason;
  const text = data[field] as string;
  const found = findControlCharacter(text);
  if (found === undefined) return undefined;
  return `${field} "${escapeControls(truncate(text))}" contains the control character ${escapeCharacter(found.char)} at index ${found.index}; identifiers must be printable text`;
}

/** C0 (U+0000-U+001F), DEL (U+007F) and C1 (U+0080-U+009F). */
function isControlCode(code: number): boolean {
  return code <= 0x1f || (code >= 0x7f && code <= 0x9f);
}

/** The first control character of `text` and its index, if any. */
export function findControlCharacter(text: string): { char: string; index: number } | undefined {
  for (let index = 0; index < text.length; index++) {
    if (isControlCode(text.charCodeAt(index))) return { char: text.charAt(index), index };
  }
  return undefined;
}

/** Control characters written as `\u0000` escapes, so a message shows them instead of carrying them. */
export function escapeControls(text: string): string {
  let escaped = '';
  for (const char of text) escaped += isControlCode(char.charCodeAt(0)) ? escapeCharacter(char) : char;
  return escaped;
}

function escapeCharacter(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * JSON cannot carry NaN or Infinity, so they arrive as strings or null; both are rejected with
 * a reason that names what came in.
 */
export function checkFiniteNumber(
  data: Record<string, unknown>,
  field: string,
  options: { min?: number; nullable?: boolean } = {},
): string | undefined {
  const value = data[field];
  if (value === null && options.nullable) return undefined;
  if (typeof value !== 'number') {
    if (typeof value === 'string' && /^[+-]?(nan|inf(inity)?)$/i.test(value.trim())) {
      return `${field} must be a finite number, got "${value}"`;
    }
    return `${field} must be a number${options.nullable ? ' or null' : ''}, got ${describeType(value)}`;
  }
  if (!Number.isFinite(value)) return `${field} must be a finite number, got ${value}`;
  if (options.min !== undefined && value < options.min)
    return `${field} must be >= ${options.min}, got ${value}`;
  return undefined;
}

export function checkBoolean(data: Record<string, unknown>, field: string): string | undefined {
  const value = data[field];
  return typeof value === 'boolean'
    ? undefined
    : `${field} must be true or false, got ${describeType(value)}`;
}

/** ISO-8601 with an explicit zone, not before 2000 and not more than a day past arrival. */
export function parseTimestamp(
  value: unknown,
  field: string,
  arrivalMs: number,
): { ms: number } | { reason: string } {
  if (typeof value !== 'string')
    return { reason: `${field} must be an ISO-8601 string, got ${describeType(value)}` };
  if (!ISO_WITH_ZONE.test(value)) {
    return {
      reason: `${field} "${escapeControls(truncate(value))}" is not ISO-8601 with a zone (e.g. 2024-03-01T13:00:00Z)`,
    };
  }
  const ms = Date.parse(value);
  if (Number.isNaN(ms) || !isCalendarDate(value))
    return { reason: `${field} "${escapeControls(truncate(value))}" is not a valid date` };
  if (ms < MIN_TIMESTAMP_MS) return { reason: `${field} ${value} is before 2000-01-01` };
  if (ms > arrivalMs + MAX_FUTURE_SKEW_MS) {
    return {
      reason: `${field} ${value} is more than 24 h after the record reached the stream (${new Date(arrivalMs).toISOString()})`,
    };
  }
  return { ms };
}

/**
 * Whether the `YYYY-MM-DD` at the start of `iso` is a real day: Date.parse rolls 2024-02-30 over
 * to March 1st, and a reading (or a request) with an impossible date is broken.
 */
export function isCalendarDate(iso: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}/.test(iso)) return false;
  const [year, month, day] = iso.slice(0, 10).split('-').map(Number);
  if (year === undefined || month === undefined || day === undefined) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth;
}

export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string "${escapeControls(truncate(value))}"`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${value}`;
  return typeof value;
}

function truncate(text: string, max = 40): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** Groups quarantine reasons by their wording, with the values taken out ("consumption must be >= 0 m³, got …"). */
export function reasonKind(reason: string): string {
  return reason
    .replace(/"[^"]*"/g, '"…"')
    .replace(/\b\d{4}-\d{2}-\d{2}[T ][\d:.]+Z?\b/g, '…')
    .replace(/-?\d+(\.\d+)?(e[+-]?\d+)?/gi, '…');
}
