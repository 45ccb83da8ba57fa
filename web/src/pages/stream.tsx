import type { StreamView } from '../api';
import { LoadState } from '../components/load-state';
import { TimeChart } from '../components/time-chart';
import { formatMs, formatNumber, shortTime } from '../format';
import { useLagHistory } from '../lag-history';
import { usePoll } from '../use-poll';

const SHARD_COLORS = ['#2563eb', '#db2777', '#059669', '#d97706', '#7c3aed', '#0891b2'];

/** The ingest event source: records in over time, each shard's iterator lag, what was given up on. */
export function StreamPage() {
  const stream = usePoll<StreamView>('/api/stream');
  const lag = useLagHistory(stream.data);
  return (
    <>
      <h1>Stream</h1>
      <LoadState data={stream.data} error={stream.error}>
        {(data) => (
          <>
            <Totals view={data} />
            <section aria-labelledby="records-in-heading">
              <h2 id="records-in-heading">Records in</h2>
              <TimeChart
                label={`Records delivered to ingest per ${data.bucketSeconds} s over the last ${(data.recordsIn.length * data.bucketSeconds) / 60} minutes`}
                times={data.recordsIn.map((b) => b.at)}
                series={[
                  {
                    label: `records / ${data.bucketSeconds} s`,
                    values: data.recordsIn.map((b) => b.records),
                    color: '#2563eb',
                    bars: true,
                  },
                ]}
                height={220}
              />
            </section>
            <section aria-labelledby="lag-heading">
              <h2 id="lag-heading">Iterator lag</h2>
              <table aria-labelledby="lag-heading">
                <thead>
                  <tr>
                    <th scope="col">Shard</th>
                    <th scope="col" class="number">
                      Behind the tip
                    </th>
                    <th scope="col" class="number">
                      Read, not yet delivered
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.shards.map((s) => (
                    <tr key={s.shardId}>
                      <td>
                        <code>{s.shardId}</code>
                      </td>
                      <td class="number">
                        {s.millisBehindLatest === null ? '–' : formatMs(s.millisBehindLatest)}
                      </td>
                      <td class="number">{formatNumber(s.buffered)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {lag.times.length > 1 && (
                <TimeChart
                  label="Iterator lag per shard since this page opened"
                  times={lag.times}
                  series={[...lag.byShard].map(([shardId, values], i) => ({
                    label: shardId,
                    values,
                    color: SHARD_COLORS[i % SHARD_COLORS.length] ?? '#2563eb',
                  }))}
                  height={180}
                  formatValue={formatMs}
                  yAtLeast={1_000}
                />
              )}
            </section>
            <OnFailure view={data} />
            {data.recentErrors.length > 0 && (
              <section aria-labelledby="errors-heading">
                <h2 id="errors-heading">Recent ingest errors</h2>
                <ul>
                  {data.recentErrors.map((e) => (
                    <li key={`${e.at}-${e.shardId}-${e.message}`}>
                      {shortTime(e.at)} · <code>{e.shardId}</code> · {e.message}
                    </li>
                  ))}
                </ul>
              </section>
            )}
          </>
        )}
      </LoadState>
    </>
  );
}

function Totals({ view }: { view: StreamView }) {
  const { totals } = view;
  const items: [string, number][] = [
    ['Records in', totals.recordsIn],
    ['Batches', totals.batches],
    ['Records failed (retried)', totals.failedRecords],
    ['Invocation errors', totals.errors],
    ['Records to on-failure', totals.onFailureRecords],
  ];
  return (
    <dl class="totals" aria-label="Totals since start">
      {items.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{formatNumber(value)}</dd>
        </div>
      ))}
    </dl>
  );
}

function OnFailure({ view }: { view: StreamView }) {
  return (
    <section aria-labelledby="on-failure-heading">
      <h2 id="on-failure-heading">On-failure messages</h2>
      {view.onFailure.length === 0 ? (
        <p class="muted">None: no batch has been given up on.</p>
      ) : (
        <table aria-labelledby="on-failure-heading">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Condition</th>
              <th scope="col">Shard</th>
              <th scope="col" class="number">
                Records
              </th>
              <th scope="col">Sequence numbers</th>
              <th scope="col">Function error</th>
            </tr>
          </thead>
          <tbody>
            {view.onFailure.map((m) => (
              <tr key={`${m.shardId}-${m.firstSequenceNumber}-${m.at}`}>
                <td>{shortTime(m.at)}</td>
                <td>{m.condition}</td>
                <td>
                  <code>{m.shardId}</code>
                </td>
                <td class="number">{formatNumber(m.records)}</td>
                <td>
                  <code>
                    {m.firstSequenceNumber} … {m.lastSequenceNumber}
                  </code>
                </td>
                <td>{m.functionError ?? '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
