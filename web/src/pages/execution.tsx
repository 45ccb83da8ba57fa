import { useEffect, useState } from 'preact/hooks';
import type { ExecutionView, RedrivenView } from '../api';
import { postJson } from '../api';
import { LoadState } from '../components/load-state';
import { StatusBadge } from '../components/status-badge';
import { TimelineTable } from '../components/timeline-table';
import { formatMs, shortTime } from '../format';
import { prettyJson } from '../json-text';
import { executionApi, machinePage } from '../links';
import { useLocation } from '../router';
import { usePoll } from '../use-poll';

/** One execution: status (live while it runs), input, output or error, the timeline of its states, redrive. */
export function ExecutionPage() {
  const url = useLocation();
  const machine = url.searchParams.get('machine') ?? '';
  const name = url.searchParams.get('name') ?? '';
  const view = usePoll<ExecutionView>(machine && name ? executionApi(machine, name) : undefined);
  // Kept here, not in the Redrive section: that section goes while the redriven run is RUNNING.
  const [redriveOutcome, setRedriveOutcome] = useState<{ ok: boolean; text: string } | undefined>();
  // Another execution's page starts without the message.
  useEffect(() => {
    if (machine || name) setRedriveOutcome(undefined);
  }, [machine, name]);

  return (
    <>
      <p class="muted small">
        <a href="/state-machines">State machines</a> / <a href={machinePage(machine)}>{machine}</a> /
      </p>
      <h1>Execution {name}</h1>
      <LoadState data={view.data} error={view.error}>
        {(data) => (
          <>
            <Summary execution={data} />
            {data.status === 'FAILED' && (
              <Redrive
                execution={data}
                onOutcome={(outcome) => {
                  setRedriveOutcome(outcome);
                  view.refresh();
                }}
              />
            )}
            {redriveOutcome && (
              <p class={redriveOutcome.ok ? 'notice' : 'error'} role="status">
                {redriveOutcome.text}
              </p>
            )}
            <section aria-labelledby="input-heading">
              <h2 id="input-heading">Input</h2>
              <pre class="json">{prettyJson(data.input)}</pre>
            </section>
            {data.error !== null ? (
              <section aria-labelledby="error-heading">
                <h2 id="error-heading">Error</h2>
                <p>
                  <strong>{data.error}</strong>
                </p>
                <pre class="json error-cause">{prettyJson(data.cause)}</pre>
              </section>
            ) : (
              data.output !== null && (
                <section aria-labelledby="output-heading">
                  <h2 id="output-heading">Output</h2>
                  <pre class="json">{prettyJson(data.output)}</pre>
                </section>
              )
            )}
            <section aria-labelledby="timeline-heading">
              <h2 id="timeline-heading">Timeline</h2>
              <TimelineTable rows={data.timeline} now={Date.now()} />
            </section>
          </>
        )}
      </LoadState>
    </>
  );
}

function Summary({ execution }: { execution: ExecutionView }) {
  const took = execution.stopDate
    ? formatMs(Date.parse(execution.stopDate) - Date.parse(execution.startDate))
    : undefined;
  return (
    <dl class="facts" aria-label="Execution">
      <dt>Status</dt>
      <dd>
        <StatusBadge status={execution.status} />
      </dd>
      <dt>State machine</dt>
      <dd>
        <a href={machinePage(execution.machine)}>{execution.machine}</a>
      </dd>
      <dt>Started</dt>
      <dd>{shortTime(execution.startDate)}</dd>
      <dt>Stopped</dt>
      <dd>{execution.stopDate ? `${shortTime(execution.stopDate)} (took ${took})` : '– (running)'}</dd>
      <dt>Redrives</dt>
      <dd>
        {execution.redriveCount}
        {execution.redriveDate && ` (last ${shortTime(execution.redriveDate)})`}
      </dd>
    </dl>
  );
}

/** Redrive: as `smlp redrive`, the run starts again at the unsuccessful step. */
function Redrive({
  execution,
  onOutcome,
}: {
  execution: ExecutionView;
  onOutcome: (outcome: { ok: boolean; text: string }) => void;
}) {
  const [busy, setBusy] = useState(false);
  const redrive = async () => {
    setBusy(true);
    try {
      const { data } = await postJson<RedrivenView>(
        `${executionApi(execution.machine, execution.name)}/redrive`,
        {},
      );
      onOutcome({ ok: true, text: data.message });
    } catch (error) {
      onOutcome({ ok: false, text: (error as Error).message });
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="redrive-heading" class="card">
      <h2 id="redrive-heading">Redrive</h2>
      <p class="small">
        Runs the execution again from its unsuccessful step, with the input that step had; the states that
        succeeded do not run again. When a <code>Catch</code> routed the error into a <code>Fail</code> state,
        that Fail state is the unsuccessful step: the redrive fails again, as on AWS. It helps when the
        execution failed at a state whose error was not caught.
      </p>
      {!execution.redrivable && execution.notRedrivableReason && (
        <p class="muted small">{execution.notRedrivableReason}</p>
      )}
      <button type="button" disabled={busy || !execution.redrivable} onClick={redrive}>
        Redrive
      </button>
    </section>
  );
}
