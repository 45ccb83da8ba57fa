/** Day arithmetic on `yyyy-MM-dd` strings, in UTC so no day is ever 23 or 25 hours long. */

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a `yyyy-MM-dd` date. */
export function dayNumber(date: string): number {
  const ms = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(ms)) throw new Error(`not a yyyy-MM-dd date: ${JSON.stringify(date)}`);
  return Math.round(ms / DAY_MS);
}

export function dateOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** 1 = Monday … 7 = Sunday, as Rossmann numbers them. */
export function weekdayOf(day: number): number {
  return ((new Date(day * DAY_MS).getUTCDay() + 6) % 7) + 1;
}

/** The ISO time the SARIMAX core steps by (one step per day). */
export function timestampOf(day: number): string {
  return new Date(day * DAY_MS).toISOString();
}

export const STEP_MS = DAY_MS;
