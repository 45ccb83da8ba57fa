import { useState } from 'preact/hooks';
import type { StartedExecutionView, StateMachineView } from '../api';
import { BackfillSection } from '../components/backfill-section';
import { ExecutionsTable } from '../components/executions-table';
import { LoadState } from '../components/load-state';
import { StartExecutionDialog } from '../components/start-execution-dialog';
import { StateGraphView } from '../components/state-graph';
import { machineApi } from '../links';
import { useLocation } from '../router';
import { usePoll } from '../use-poll';

/** One state machine: its states and their edges, schedule, recent executions (live), start, backfill. */
export function StateMachinePage() {
  const name = useLocation().searchParams.get('name') ?? '';
  const view = usePoll<StateMachineView>(name ? machineApi(name) : undefined);
  const [started, setStarted] = useState<StartedExecutionView | undefined>();

  return (
    <>
      <p class="muted small">
        <a href="/state-machines">State machines</a> /
      </p>
      <h1>{name || 'No state machine named'}</h1>
      <LoadState data={view.data} error={view.error}>
        {(data) => (
          <>
            <dl class="facts">
              <dt>Deployed as</dt>
              <dd>
                <code>{data.deployedName}</code>
              </dd>
              <dt>Schedule</dt>
              <dd>
                {data.schedule ? (
                  <>
                    <code>{data.schedule.expression}</code> · {data.schedule.description}
                  </>
                ) : (
                  'on demand (no schedule)'
                )}
              </dd>
              {data.graph.comment && (
                <>
                  <dt>What it does</dt>
                  <dd>{data.graph.comment}</dd>
                </>
              )}
            </dl>
            <StartExecutionDialog
              machine={data.name}
              onStarted={(execution) => {
                setStarted(execution);
                view.refresh();
              }}
            />
            {started && (
              <p class="notice" role="status">
                Started <a href={started.page}>{started.name}</a>
              </p>
            )}
            <div class="machine-columns">
              <section aria-labelledby="states-heading">
                <h2 id="states-heading">States</h2>
                <StateGraphView graph={data.graph} machine={data.name} />
              </section>
              <div>
                <section aria-labelledby="executions-heading">
                  <h2 id="executions-heading">Executions</h2>
                  <ExecutionsTable
                    machine={data.name}
                    executions={data.executions}
                    labelledBy="executions-heading"
                  />
                </section>
                {data.schedule && (
                  <BackfillSection
                    machine={data.name}
                    schedule={data.schedule}
                    backfills={data.backfills}
                    onStarted={view.refresh}
                  />
                )}
              </div>
            </div>
          </>
        )}
      </LoadState>
    </>
  );
}
