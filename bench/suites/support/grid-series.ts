import { gaussian, seededRandom } from '../../../core/data/seeded-random.js';
import { emptyBuckets, mergeReadings, toHourlySeries } from '../../../systems/water/model/hourly-series.js';
import { generateWaterReadings } from '../../../systems/water/records/generator.js';
import type { WaterReading } from '../../../systems/water/records/reading.js';

/** A series of the SARIMAX grid: values and two regressors (a smooth covariate and a 0/1 event). */
export interface GridSeries {
  values: number[];
  /** Column-major: [covariate, event]. */
  exogColumns: [number[], number[]];
  exogNames: [string, string];
}

/** The water system's own data: mean consumption per meter and hour over four meters. */
export function hourlyWater(hours: number): GridSeries {
  const rows = generateWaterReadings({
    seed: 7,
    start: '2024-01-01T00:00:00Z',
    hours,
    zones: 2,
    metersPerZone: 2,
    missingRate: 0.003,
    malformedRate: 0,
  });
  const buckets = emptyBuckets();
  mergeReadings(
    buckets,
    rows.map((row) => row.data as WaterReading),
  );
  const hourly = toHourlySeries(buckets);
  return {
    values: hourly.values.slice(0, hours),
    exogColumns: [hourly.temperature.slice(0, hours), hourly.holiday.slice(0, hours)],
    exogNames: ['temperature', 'holiday'],
  };
}

/**
 * A seasonal series with period `s` (7: daily data with a weekly pattern; 12: monthly data with
 * a yearly one): a drifting level, a fixed seasonal profile, a covariate with a slow cycle
 * (temperature), a rare event flag (a holiday, a promotion), and ARMA(1,1) noise. Seeded.
 */
export function seasonalSeries(points: number, s: number, seed: number): GridSeries {
  const random = seededRandom(seed);
  const profile = Array.from(
    { length: s },
    (_, k) => 6 * Math.sin((2 * Math.PI * k) / s) + 2 * gaussian(random),
  );
  const cycle = s === 7 ? 365 : 12 * 5;
  const values: number[] = [];
  const covariate: number[] = [];
  const event: number[] = [];
  let level = 100;
  let noise = 0;
  let previousShock = 0;
  for (let t = 0; t < points; t++) {
    const temperature = 12 + 8 * Math.sin((2 * Math.PI * t) / cycle) + 1.5 * gaussian(random);
    const flag = random() < 0.04 ? 1 : 0;
    const shock = gaussian(random);
    noise = 0.5 * noise + shock + 0.3 * previousShock;
    previousShock = shock;
    level += 0.1 * gaussian(random);
    values.push(level + (profile[t % s] as number) + 0.8 * temperature + 5 * flag + 2 * noise);
    covariate.push(temperature);
    event.push(flag);
  }
  return { values, exogColumns: [covariate, event], exogNames: ['temperature', 'event'] };
}
