import { ForecastChart } from './forecast-chart';
import type { ForecastView, StoreRow, StoresView } from './sales-api';
import { formatDay, formatFamily, formatRmspe } from './sales-format';
import type { StoreDetail } from './use-store-detail';

/** One store: its model and errors as figures, its history and forecast as one chart, or why not. */
export function StorePanel({
  detail,
  row,
  monitoring,
}: {
  detail: StoreDetail;
  row: StoreRow | undefined;
  monitoring: StoresView['monitoring'] | undefined;
}) {
  const heading = 'sales-store-heading';
  return (
    <section class="card sales-store" aria-labelledby={heading}>
      <h2 id={heading}>
        Store {detail.store}
        {row && (
          <span class="muted sales-store-kind">
            {' '}
            · type {row.storeType}, assortment {row.assortment}
          </span>
        )}
      </h2>
      {detail.state === 'loading' && <p class="muted">Loading…</p>}
      {detail.state === 'error' && (
        <p class="error sales-error" role="alert">
          The sales API did not answer for store {detail.store}: {detail.reason}
        </p>
      )}
      {detail.state === 'no-data' && (
        <p class="sales-empty" role="status">
          No data yet for store {detail.store}: {detail.reason}. The stream brings each store’s profile and
          days (<code>sales-stream</code>, hourly under <code>npm start</code>).
        </p>
      )}
      {detail.state === 'no-champion' && (
        <>
          <p class="sales-empty" role="status">
            No champion yet for store {detail.store}: run <code>sales-train</code> (from the State machines
            page, or <code>smlp start sales-train --local</code>; the input{' '}
            <code>{`{"stores": [${detail.store}]}`}</code> trains this store alone).
          </p>
          <ForecastChart store={detail.store} history={detail.history.days} forecast={undefined} />
        </>
      )}
      {detail.state === 'ready' && (
        <>
          <ModelFigures forecast={detail.forecast} row={row} monitoring={monitoring} />
          <ForecastChart store={detail.store} history={detail.history.days} forecast={detail.forecast} />
        </>
      )}
    </section>
  );
}

/** The champion behind the forecast and the errors to expect (backtest) and seen (monitoring). */
function ModelFigures({
  forecast,
  row,
  monitoring,
}: {
  forecast: ForecastView;
  row: StoreRow | undefined;
  monitoring: StoresView['monitoring'] | undefined;
}) {
  const { model } = forecast;
  const observed = row?.observedRmspe ?? null;
  const observedNote =
    observed !== null
      ? `degraded in the monitoring of ${monitoring ? formatDay(monitoring.day) : 'the newest run'}`
      : monitoring
        ? `within expectation in the monitoring of ${formatDay(monitoring.day)}`
        : 'not monitored yet';
  const figures: { label: string; value: string; data: string; note?: string; kind?: string }[] = [
    { label: 'Model', value: formatFamily(model.family), data: model.family },
    { label: 'Version', value: model.version, data: model.version, kind: 'sales-version' },
    { label: 'Trained through', value: formatDay(model.trainedThrough), data: model.trainedThrough },
    {
      label: 'Backtest RMSPE',
      value: formatRmspe(model.backtestRmspe),
      data: model.backtestRmspe === null ? '' : String(model.backtestRmspe),
    },
    {
      label: 'Observed RMSPE',
      value: formatRmspe(observed),
      data: observed === null ? '' : String(observed),
      note: observedNote,
      ...(observed !== null ? { kind: 'error' } : {}),
    },
  ];
  return (
    <dl class="sales-figures" aria-label="Model">
      {figures.map((f) => (
        <div key={f.label}>
          <dt>{f.label}</dt>
          <dd data-value={f.data} class={f.kind}>
            {f.value}
          </dd>
          {f.note && <dd class="muted small sales-note">{f.note}</dd>}
        </div>
      ))}
    </dl>
  );
}
