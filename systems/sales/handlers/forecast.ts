import { writeTableDay } from '../../../adapters/s3-day-table.js';
import { daysBetween } from '../../../core/data/calendar-days.js';
import { createS3Client } from '../../../lambdas/platform/clients.js';
import { handlerEnv } from '../../../lambdas/platform/env.js';
import { createLogger } from '../../../lambdas/platform/logger.js';
import { defineStep, stepHandler } from '../../../lambdas/platform/step.js';
import { loadStoreChampion, mapLimit } from '../serving/champions.js';
import { FORECAST_COLUMNS, type ForecastRow, forecastRows } from '../serving/forecast-rows.js';
import { forecastFromChampion, MAX_HORIZON } from '../serving/store-forecast.js';
import { HistoryReader } from '../store/history.js';
import { SYSTEM, salesKeys } from '../store/keys.js';

const logger = createLogger('sales-forecast');
/** Exported so tests can inject faults an emulator cannot produce (SDK middleware). */
export const s3 = createS3Client();
/** A store whose data stopped this long before the newest day is closed (refurbishment): not forecast. */
const STALE_DAYS = 14;

/**
 * forecast: the nightly batch forecast. Every store with a champion, the next 42 days from its
 * newest day of data, with 80% and 95% intervals, as one Parquet partition named after the newest
 * day of data (`forecasts/sales/dt=…`), queryable with Athena and `smlp query`. A rerun on the
 * same data writes the same partition again.
 */
const forecast = defineStep({
  parse: () => ({}),
  async run() {
    const history = new HistoryReader(s3, handlerEnv.dataBucket());
    const profiles = await history.allProfiles();
    const newest = await history.newestDay();
    if (!newest) return { origin: null, stores: 0, rows: 0, noChampion: 0, stale: 0 };
    let noChampion = 0;
    let stale = 0;
    const perStore = await mapLimit(profiles, 8, async (profile): Promise<ForecastRow[]> => {
      const series = await history.series(profile.store);
      const last = series?.days.at(-1)?.date;
      if (!series || !last || daysBetween(last, newest) > STALE_DAYS) {
        stale++;
        return [];
      }
      const champion = await loadStoreChampion(s3, handlerEnv.artifactsBucket(), profile.store);
      if (!champion) {
        noChampion++;
        return [];
      }
      const { points } = forecastFromChampion(champion, series, MAX_HORIZON);
      return forecastRows({
        store: profile.store,
        origin: last,
        family: champion.model.kind,
        modelVersion: champion.version,
        backtestRmspe: champion.backtestRmspe,
        points,
      });
    });
    const rows = perStore.flat();
    const stores = perStore.filter((r) => r.length > 0).length;
    if (rows.length > 0)
      await writeTableDay(s3, salesKeys.forecasts, newest, rows as never, FORECAST_COLUMNS, SYSTEM);
    const result = { origin: newest, stores, rows: rows.length, noChampion, stale };
    logger.info('forecast written', result);
    return result;
  },
});

export const handler = stepHandler({ steps: { forecast } });
