import type { QuarantineSystemView, QuarantineView } from '../api';
import { LoadState } from '../components/load-state';
import { formatNumber, shortTime } from '../format';
import { usePoll } from '../use-poll';

/** What ingest set aside, per system: counts by reason and the newest records as they arrived. */
export function QuarantinePage() {
  const quarantine = usePoll<QuarantineView>('/api/quarantine', 5_000);
  return (
    <>
      <h1>Quarantine</h1>
      <p class="muted">
        Records ingest rejected, under <code>quarantine/&lt;system&gt;/</code> in the data bucket, with the
        reason.
      </p>
      <LoadState data={quarantine.data} error={quarantine.error}>
        {(data) => data.systems.map((system) => <SystemQuarantine key={system.system} view={system} />)}
      </LoadState>
    </>
  );
}

function SystemQuarantine({ view }: { view: QuarantineSystemView }) {
  const heading = `quarantine-${view.system}`;
  return (
    <section aria-labelledby={heading}>
      <h2 id={heading}>
        {view.system}: {formatNumber(view.total)} record{view.total === 1 ? '' : 's'} quarantined
        <span class="muted"> in {formatNumber(view.objects)} objects</span>
      </h2>
      {view.total > 0 && (
        <>
          <table aria-label={`${view.system} quarantine by reason`}>
            <thead>
              <tr>
                <th scope="col">Reason</th>
                <th scope="col" class="number">
                  Records
                </th>
                <th scope="col">Example</th>
              </tr>
            </thead>
            <tbody>
              {view.byReason.map((r) => (
                <tr key={r.reason}>
                  <td>{r.reason}</td>
                  <td class="number">{formatNumber(r.count)}</td>
                  <td class="muted">{r.example}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <details open>
            <summary>Newest {view.samples.length} records</summary>
            <ul class="samples">
              {view.samples.map((s) => (
                <li key={`${s.shardId}-${s.sequenceNumber}`}>
                  <div>
                    <strong>{s.reason}</strong>
                  </div>
                  <div class="muted">
                    arrived {shortTime(s.arrivalTime)} · {s.shardId} · sequence {s.sequenceNumber}
                  </div>
                  <pre>
                    {s.text}
                    {s.truncated ? ' …(cut)' : ''}
                  </pre>
                </li>
              ))}
            </ul>
          </details>
        </>
      )}
    </section>
  );
}
