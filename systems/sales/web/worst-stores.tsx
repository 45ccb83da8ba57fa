import type { StoreRow } from './sales-api';
import { formatFamily, formatRmspe } from './sales-format';
import { pathWithStore } from './store-choice';

/** The error a row is ranked by: as the API ranks them, observed when monitored, else backtest. */
export const rankingError = (row: StoreRow): number | null => row.observedRmspe ?? row.backtestRmspe;

/**
 * The stores with the highest error, worst first, as the API ranks them. Each store is a link
 * to itself on this page, so choosing one changes the address (back returns to the one before).
 */
export function WorstStores({
  rows,
  selected,
  basePath,
}: {
  rows: readonly StoreRow[];
  selected: number | undefined;
  basePath: string;
}) {
  const heading = 'sales-worst-heading';
  return (
    <section class="sales-worst" aria-labelledby={heading}>
      <h2 id={heading}>Stores with the worst error</h2>
      <p class="muted small">
        Ranked by the observed RMSPE where monitoring scored the store’s forecast, by the backtest RMSPE
        otherwise; worst first.
      </p>
      {rows.length === 0 ? (
        <p class="muted">No store has an error yet: errors come with the first training run.</p>
      ) : (
        <div class="scroll">
          <table aria-labelledby={heading}>
            <thead>
              <tr>
                <th scope="col">Store</th>
                <th scope="col">Type</th>
                <th scope="col">Assortment</th>
                <th scope="col">Model</th>
                <th scope="col" class="number">
                  Backtest RMSPE
                </th>
                <th scope="col" class="number">
                  Observed RMSPE
                </th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => {
                const current = r.store === selected;
                return (
                  <tr
                    key={r.store}
                    class={current ? 'sales-selected' : undefined}
                    data-error={String(rankingError(r) ?? '')}
                  >
                    <th scope="row">
                      <a href={pathWithStore(basePath, r.store)} aria-current={current ? 'true' : undefined}>
                        Store {r.store}
                      </a>
                    </th>
                    <td>{r.storeType}</td>
                    <td>{r.assortment}</td>
                    <td>{formatFamily(r.family)}</td>
                    <td class="number" data-value={r.backtestRmspe ?? ''}>
                      {formatRmspe(r.backtestRmspe)}
                    </td>
                    <td class="number" data-value={r.observedRmspe ?? ''}>
                      {formatRmspe(r.observedRmspe)}
                    </td>
                    <td>
                      {r.degraded ? <span class="status status-failed">degraded</span> : (r.status ?? '–')}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
