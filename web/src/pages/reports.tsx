import { useState } from 'preact/hooks';
import type { ReportsView, SystemsView } from '../api';
import { LoadState } from '../components/load-state';
import { SystemTabs } from '../components/system-tabs';
import { formatBytes, shortTime } from '../format';
import { useLocation } from '../router';
import { usePoll } from '../use-poll';

/** Runs shown before "Show older": each picture is a full report. */
const FIRST_RUNS = 5;

/** Each run's report: its pictures inline, its JSON a link away. */
export function ReportsPage() {
  const url = useLocation();
  const systems = usePoll<SystemsView>('/api/systems', 10_000);
  const all = systems.data?.systems ?? [];
  const system = all.find((s) => s.name === url.searchParams.get('system')) ?? all[0];
  const reports = usePoll<ReportsView>(
    system ? `/api/systems/${encodeURIComponent(system.name)}/reports` : undefined,
    5_000,
  );
  const [shown, setShown] = useState(FIRST_RUNS);

  return (
    <>
      <h1>Reports</h1>
      <SystemTabs
        label="Systems"
        current={system?.name}
        items={all.map((s) => ({
          key: s.name,
          text: s.name,
          href: `/reports?system=${encodeURIComponent(s.name)}`,
        }))}
      />
      <LoadState data={reports.data} error={reports.error ?? systems.error}>
        {(data) =>
          data.runs.length === 0 ? (
            <p class="muted">No reports for {data.system} yet: they are written by its training runs.</p>
          ) : (
            <>
              {data.runs.slice(0, shown).map((run) => (
                <article class="report" key={run.run} aria-label={`Report of run ${run.run}`}>
                  <h2>
                    <code>{run.run}</code> <span class="muted">{shortTime(run.writtenAt)}</span>
                  </h2>
                  {run.files
                    .filter((f) => f.kind === 'picture')
                    .map((f) => (
                      <img key={f.name} src={f.url} alt={`${f.name} of run ${run.run}`} />
                    ))}
                  <p>
                    {run.files
                      .filter((f) => f.kind !== 'picture')
                      .map((f) => (
                        <a key={f.name} href={f.url} target="_blank" rel="noreferrer" class="file">
                          {f.name} <span class="muted">({formatBytes(f.bytes)})</span>
                        </a>
                      ))}
                  </p>
                </article>
              ))}
              {data.runs.length > shown && (
                <button type="button" class="secondary" onClick={() => setShown(shown + FIRST_RUNS)}>
                  Show older ({data.runs.length - shown} more)
                </button>
              )}
            </>
          )
        }
      </LoadState>
    </>
  );
}
