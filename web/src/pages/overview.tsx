import type { QuarantineView, StreamView, SystemsView } from '../api';
import { LoadState } from '../components/load-state';
import { TimeChart } from '../components/time-chart';
import { formatMs, formatNumber, shortTime } from '../format';
import { machinePage } from '../links';
import { usePoll } from '../use-poll';

/** Every system with its champions, and the stream's health at a glance. */
export function OverviewPage() {
  const systems = usePoll<SystemsView>('/api/systems');
  const stream = usePoll<StreamView>('/api/stream');
  const quarantine = usePoll<QuarantineView>('/api/quarantine', 10_000);
  const quarantined = (name: string) => quarantine.data?.systems.find((s) => s.system === name)?.total;

  return (
    <>
      <h1>Overview</h1>
      <section aria-labelledby="stream-heading" class="card">
        <h2 id="stream-heading">
          <a href="/stream">Stream health</a>
        </h2>
        <LoadState data={stream.data} error={stream.error}>
          {(data) => (
            <div class="stream-summary">
              <dl class="totals">
                <div>
                  <dt>Records in</dt>
                  <dd>{formatNumber(data.totals.recordsIn)}</dd>
                </div>
                <div>
                  <dt>Max iterator lag</dt>
                  <dd>{formatMs(Math.max(0, ...data.shards.map((s) => s.millisBehindLatest ?? 0)))}</dd>
                </div>
                <div>
                  <dt>On-failure records</dt>
                  <dd>{formatNumber(data.totals.onFailureRecords)}</dd>
                </div>
              </dl>
              <TimeChart
                sparkline
                label={`Records in per ${data.bucketSeconds} s, last ${(data.recordsIn.length * data.bucketSeconds) / 60} minutes`}
                times={data.recordsIn.map((b) => b.at)}
                series={[
                  { label: 'records', values: data.recordsIn.map((b) => b.records), color: '#2563eb' },
                ]}
                height={48}
              />
            </div>
          )}
        </LoadState>
      </section>
      <LoadState data={systems.data} error={systems.error}>
        {(data) => (
          <div class="cards">
            {data.systems.map((system) => (
              <section key={system.name} class="card" aria-labelledby={`system-${system.name}`}>
                <h2 id={`system-${system.name}`}>{system.name}</h2>
                <p class="muted">{system.title}</p>
                {system.web ? (
                  <p>
                    <a href={`/systems/${encodeURIComponent(system.name)}`}>
                      {system.web.title}: its live page
                    </a>
                  </p>
                ) : null}
                {system.models.map((model) => (
                  <div key={model.name} class="model">
                    <h3>
                      <a
                        href={`/models?system=${encodeURIComponent(system.name)}&model=${encodeURIComponent(model.name)}`}
                      >
                        {system.name}/{model.name}
                      </a>
                    </h3>
                    {model.champion ? (
                      <p>
                        ★ <code>{model.champion.version}</code> since {shortTime(model.champion.promotedAt)} (
                        {model.champion.action}): {model.champion.reason}
                      </p>
                    ) : (
                      <p class="muted">No champion yet.</p>
                    )}
                  </div>
                ))}
                <p class="links">
                  <a href={`/reports?system=${encodeURIComponent(system.name)}`}>Reports</a>
                  <a href="/quarantine">
                    Quarantine
                    {quarantined(system.name) === undefined
                      ? ''
                      : ` (${formatNumber(quarantined(system.name) ?? 0)})`}
                  </a>
                </p>
                <p class="muted small">
                  <a href="/state-machines">State machines</a>:{' '}
                  {system.stateMachines.map((machine, i) => (
                    <span key={machine}>
                      {i > 0 && ', '}
                      <a href={machinePage(machine)}>{machine}</a>
                    </span>
                  ))}
                </p>
              </section>
            ))}
          </div>
        )}
      </LoadState>
    </>
  );
}
