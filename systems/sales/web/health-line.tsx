import type { HealthView, StoresView } from './sales-api';
import { formatAge, formatDay, formatRmspe } from './sales-format';

const STATUS_CLASS: Record<HealthView['status'], string> = {
  ok: 'status status-succeeded',
  degraded: 'status status-failed',
  empty: 'status',
};

/** The forecast service's health in one line, as `GET /health` reports it. */
export function HealthLine({ health }: { health: HealthView }) {
  const training = health.lastTraining;
  return (
    <section class="sales-health" aria-label="Service health">
      <span class={STATUS_CLASS[health.status]}>{health.status}</span>{' '}
      <span data-field="champions">
        {health.championsLoaded.toLocaleString('en-US')} of {health.stores.toLocaleString('en-US')} stores
        have a champion
      </span>
      {' · '}
      <span data-field="newest">
        {health.newestData
          ? `newest data ${formatDay(health.newestData)}${health.dataAgeHours !== null ? ` (${formatAge(health.dataAgeHours)} old)` : ''}`
          : 'no data yet'}
      </span>
      {training && (
        <>
          {' · '}
          <span data-field="training">
            last training {training.trigger}: {training.promoted} promoted, {training.kept} kept,{' '}
            {training.failed} failed
          </span>
        </>
      )}
      {' · '}
      <span data-field="failed">
        {health.failedStores.length === 0
          ? 'no failed stores'
          : `failed stores: ${health.failedStores.map((f) => f.store).join(', ')}`}
      </span>
      {health.degradedStores.length > 0 && (
        <>
          {' · '}
          <span data-field="degraded">
            degraded: {health.degradedStores.length.toLocaleString('en-US')} stores
          </span>
        </>
      )}
    </section>
  );
}

/** The newest monitoring run: how the stores' errors spread once actuals arrived. */
export function MonitoringLine({ monitoring }: { monitoring: NonNullable<StoresView['monitoring']> }) {
  const d = monitoring.distribution;
  return (
    <p class="muted small sales-monitoring">
      Monitoring of {formatDay(monitoring.day)}
      {monitoring.origin ? ` (forecasts made on ${formatDay(monitoring.origin)})` : ''}:{' '}
      {monitoring.evaluated.toLocaleString('en-US')} stores scored; RMSPE median {formatRmspe(d.p50)}, p90{' '}
      {formatRmspe(d.p90)}, max {formatRmspe(d.max)}; {(monitoring.degradedShare * 100).toFixed(1)} %
      degraded.
    </p>
  );
}
