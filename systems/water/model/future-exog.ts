import { isHoliday } from '../records/generator.js';

const HOUR_MS = 3_600_000;

/**
 * Exogenous rows for hours ahead when the caller has no weather forecast: temperature repeats
 * the last observed day hour by hour (a seasonal-naive guess, stated in the response), the
 * holiday flag comes from the calendar.
 */
export function futureExog(input: {
  fromTimestamp: string;
  horizon: number;
  recentTemperatures: readonly number[];
  temperatures?: readonly number[];
}): number[][] {
  const lastDay = input.recentTemperatures.slice(-24);
  if (!input.temperatures && lastDay.length === 0)
    throw new Error('no recent temperatures to repeat; pass temperatures');
  const start = Date.parse(input.fromTimestamp);
  return Array.from({ length: input.horizon }, (_, i) => {
    const time = new Date(start + (i + 1) * HOUR_MS);
    const temperature = input.temperatures?.[i] ?? (lastDay[i % lastDay.length] as number);
    return [temperature, isHoliday(time) ? 1 : 0];
  });
}
