/** One day-partitioned table of the data bucket (pure: key arithmetic only, no SDK). */
export interface DayTable {
  readonly prefix: string;
  key(day: string): string;
  dayOf(key: string): string | undefined;
}

/**
 * The day table `<table>/<system>/dt=YYYY-MM-DD/<file>`: its prefix, a day's key, and the day of
 * one of its keys (undefined for any other key).
 */
export function dayTable(table: string, system: string, file: string): DayTable {
  const prefix = `${table}/${system}/`;
  return {
    prefix,
    key: (day: string) => `${prefix}dt=${day}/${file}`,
    dayOf: (key: string) =>
      key.startsWith(`${prefix}dt=`) && key.endsWith(`/${file}`)
        ? /\/dt=(\d{4}-\d{2}-\d{2})\//.exec(key)?.[1]
        : undefined,
  };
}
