import type { ChurnEvent } from './types.js';

/**
 * A day's validated events as the summary step keeps them: grouped by the UTC day of their event
 * time (not arrival), one copy per eventId, in time order. Merging is idempotent, so a batch the
 * stream delivers twice, or a step that runs again, changes nothing.
 */

/** The UTC day (`YYYY-MM-DD`) of an event's time. */
export function eventDay(event: Pick<ChurnEvent, 'time'>): string {
  // The record spec normalises times to `…Z`; anything else is parsed rather than trusted.
  return event.time.endsWith('Z') && event.time[10] === 'T'
    ? event.time.slice(0, 10)
    : new Date(Date.parse(event.time)).toISOString().slice(0, 10);
}

/** Events by day, days in ascending order, each day's events in their input order. */
export function groupByEventDay(events: Iterable<ChurnEvent>): Map<string, ChurnEvent[]> {
  const byDay = new Map<string, ChurnEvent[]>();
  for (const event of events) {
    const day = eventDay(event);
    const list = byDay.get(day);
    if (list) list.push(event);
    else byDay.set(day, [event]);
  }
  return new Map([...byDay].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export interface MergedDayEvents {
  /** Existing and new events, one per eventId (the copy already kept wins), by time then eventId. */
  merged: ChurnEvent[];
  /** Incoming events that were new. */
  added: number;
  /** Incoming events whose eventId was already there (or came twice in `incoming`). */
  duplicates: number;
}

export function mergeDayEvents(
  existing: readonly ChurnEvent[],
  incoming: readonly ChurnEvent[],
): MergedDayEvents {
  const byId = new Map<string, ChurnEvent>();
  for (const event of existing) if (!byId.has(event.eventId)) byId.set(event.eventId, event);
  let added = 0;
  for (const event of incoming) {
    if (byId.has(event.eventId)) continue;
    byId.set(event.eventId, event);
    added++;
  }
  // Parsed once per event, not once per comparison: a day can hold 100,000 events.
  const merged = [...byId.values()]
    .map((event) => ({ ms: Date.parse(event.time), event }))
    .sort((a, b) => a.ms - b.ms || compareIds(a.event, b.event))
    .map(({ event }) => event);
  return { merged, added, duplicates: incoming.length - added };
}

/** By time, then eventId: a total order, so the same set always comes out the same. */
export function compareEvents(a: ChurnEvent, b: ChurnEvent): number {
  const ta = Date.parse(a.time);
  const tb = Date.parse(b.time);
  return ta !== tb ? ta - tb : compareIds(a, b);
}

function compareIds(a: ChurnEvent, b: ChurnEvent): number {
  return a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0;
}
