import { isPlainObject } from '../../../core/pipelines/validation-helpers.js';

/**
 * The poller's cursor in the data bucket (`state/online/poller.json`): the next tick to fetch, and
 * which run is polling now. A run takes the cursor with a conditional write before it fetches
 * anything, so of two runs started at once only one polls; the other waits for it briefly and
 * then stops without sending. The lease ends at the run's expected end plus a margin, so a run
 * that crashed holding it is replaced by a later one.
 */
export const POLLER_CURSOR_KEY = 'state/online/poller.json';

export interface PollerCursor {
  readonly version: 1;
  /** The next tick to fetch (and the number the next record gets). */
  readonly next: number;
  /** `generator` or the source URL the last run polled. */
  readonly source: string;
  readonly updatedAt: string;
  /** The run polling now; null when none is. */
  readonly run: { readonly id: string; readonly until: string } | null;
}

export function initialCursor(now: Date): PollerCursor {
  return { version: 1, next: 0, source: 'generator', updatedAt: now.toISOString(), run: null };
}

/** A stored cursor, or why it is not one the poller wrote. */
export function parseCursor(text: string): PollerCursor | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: 'it is not JSON' };
  }
  if (!isPlainObject(value) || value.version !== 1) return { problem: 'it has no "version": 1' };
  if (typeof value.next !== 'number' || !Number.isSafeInteger(value.next) || value.next < 0)
    return { problem: `"next" must be a whole number >= 0, got ${JSON.stringify(value.next)}` };
  const run = value.run;
  if (
    run !== null &&
    !(isPlainObject(run) && typeof run.id === 'string' && !Number.isNaN(Date.parse(String(run.until))))
  )
    return { problem: '"run" must be null or {id, until}' };
  return value as unknown as PollerCursor;
}

/** The other run that holds the cursor now, if any (an expired lease is nobody's). */
export function heldByOther(cursor: PollerCursor, runId: string, now: Date): string | undefined {
  if (!cursor.run || cursor.run.id === runId) return undefined;
  return Date.parse(cursor.run.until) > now.getTime() ? cursor.run.id : undefined;
}
