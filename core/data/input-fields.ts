/**
 * Reading handler inputs (state machine payloads, console input `{}`) with defaults and errors
 * that name the field, what came in and what was expected.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
}

type Bag = Record<string, unknown>;

export function asBag(input: unknown, what: string): Bag {
  if (input === undefined || input === null) return {};
  if (typeof input !== 'object' || Array.isArray(input))
    throw new InputError(`${what} must be a JSON object, got ${JSON.stringify(input)}`);
  return input as Bag;
}

export function intField(bag: Bag, field: string, fallback: number, min: number, max: number): number {
  const value = bag[field] ?? fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InputError(
      `${field} must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

export function numberField(bag: Bag, field: string, fallback: number, min: number, max: number): number {
  const value = bag[field] ?? fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new InputError(`${field} must be a number from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return value;
}

export function stringField(bag: Bag, field: string, fallback: string, pattern?: RegExp): string {
  const value = bag[field] ?? fallback;
  if (typeof value !== 'string' || (pattern && !pattern.test(value))) {
    throw new InputError(
      `${field} must be a string${pattern ? ` matching ${pattern}` : ''}, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

export function optionalString(bag: Bag, field: string): string | undefined {
  const value = bag[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string')
    throw new InputError(`${field} must be a string, got ${JSON.stringify(value)}`);
  return value;
}

export function booleanField(bag: Bag, field: string, fallback: boolean): boolean {
  const value = bag[field] ?? fallback;
  if (typeof value !== 'boolean')
    throw new InputError(`${field} must be true or false, got ${JSON.stringify(value)}`);
  return value;
}

/** A scheduled or start time; the literal placeholder (schedule not substituted) counts as absent. */
export function timeField(bag: Bag, field: string, fallback: () => Date): Date {
  const value = bag[field];
  if (value === undefined || value === null || value === '' || value === '<aws.scheduler.scheduled-time>')
    return fallback();
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms))
    throw new InputError(`${field} must be an ISO-8601 time, got ${JSON.stringify(value)}`);
  return new Date(ms);
}
