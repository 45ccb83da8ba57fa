import { navigate, useLocation } from '../../../web/src/router';
import { usePoll } from '../../../web/src/use-poll';
import { HealthLine, MonitoringLine } from './health-line';
import { type HealthView, HORIZON, type StoresView, salesPaths } from './sales-api';
import { pathWithStore, shownStore } from './store-choice';
import { StorePanel } from './store-panel';
import { StorePicker } from './store-picker';
import { useStoreDetail } from './use-store-detail';
import { WorstStores } from './worst-stores';
import './sales-page.css';

/**
 * The list and the health change with the hourly stream and the training runs: a slow rhythm,
 * and the health reads every store's champion pointer, so each open tab asks once a minute.
 */
const REFRESH_MS = 60_000;

/**
 * The sales system's page: the forecast service's health, one store's history and 6-week
 * forecast with its 80% and 95% intervals and the champion behind it, and the stores with the
 * worst error. The store shown is in the address (`?store=17`).
 */
export default function SalesPage() {
  const url = useLocation();
  const stores = usePoll<StoresView>(salesPaths.stores, REFRESH_MS);
  const health = usePoll<HealthView>(salesPaths.health, REFRESH_MS);
  const rows = stores.data?.stores;
  const store = shownStore(url.search, rows);
  // Both answered (or failed) before the store loads, so its first load is not repeated at once.
  const settled =
    (stores.data !== undefined || stores.error !== undefined) &&
    (health.data !== undefined || health.error !== undefined);
  // Newer data or another training run: the store's chart and model are loaded again.
  const version = `${health.data?.newestData ?? ''}|${health.data?.lastTraining?.runId ?? ''}|${health.data?.championsLoaded ?? ''}`;
  const detail = useStoreDetail(settled ? store : undefined, version);
  const basePath = url.pathname + url.search;
  const choose = (next: number) => navigate(pathWithStore(basePath, next));
  const error = stores.error ?? health.error;
  const noData = rows !== undefined && rows.length === 0;
  const noChampion = !noData && health.data?.championsLoaded === 0;

  return (
    <>
      <h1>Sales forecasts</h1>
      <p class="muted">
        One model per store (SARIMAX or a forest, whichever had the lower rolling-origin backtest RMSPE),
        forecasting {HORIZON} days with 80% and 95% intervals. From{' '}
        <a href="/api/sales/health">/api/sales/health</a>, <a href="/api/sales/stores">/api/sales/stores</a>{' '}
        and the store’s <code>/api/sales/forecast</code>.
      </p>
      {health.data && <HealthLine health={health.data} />}
      {stores.data?.monitoring && <MonitoringLine monitoring={stores.data.monitoring} />}
      {error && (
        <p class="error sales-error" role="alert">
          The sales API did not answer: {error}
        </p>
      )}
      {noData && (
        <p class="sales-empty" role="status">
          No sales data yet: the stream brings every store’s profile and days (<code>sales-stream</code>,
          hourly under <code>npm start</code>; <code>npm run demo</code> streams 30 stores).
        </p>
      )}
      {noChampion && (
        <p class="sales-empty" role="status">
          No store has a champion yet: run <code>sales-train</code> (from the State machines page, or{' '}
          <code>smlp start sales-train --local</code>) to train one model per store.
        </p>
      )}
      {rows && rows.length > 0 && <StorePicker rows={rows} store={store} onChoose={choose} />}
      {detail && (
        <StorePanel
          detail={detail}
          row={rows?.find((r) => r.store === detail.store)}
          monitoring={stores.data?.monitoring}
        />
      )}
      {stores.data && <WorstStores rows={stores.data.worst} selected={store} basePath={basePath} />}
    </>
  );
}
