import type { StateMachinesView } from '../api';
import { LoadState } from '../components/load-state';
import { StatusBadge } from '../components/status-badge';
import { shortTime } from '../format';
import { executionPage, machinePage } from '../links';
import { usePoll } from '../use-poll';

/** Every state machine with its schedule and how its last execution went. */
export function StateMachinesPage() {
  const view = usePoll<StateMachinesView>('/api/state-machines');
  return (
    <>
      <h1>State machines</h1>
      <LoadState data={view.data} error={view.error}>
        {(data) => (
          <div class="scroll">
            <table aria-label="State machines">
              <thead>
                <tr>
                  <th scope="col">State machine</th>
                  <th scope="col">Schedule</th>
                  <th scope="col">Last execution</th>
                  <th scope="col">Status</th>
                  <th scope="col">Started</th>
                </tr>
              </thead>
              <tbody>
                {data.machines.map((machine) => (
                  <tr key={machine.name}>
                    <th scope="row">
                      <a href={machinePage(machine.name)}>{machine.name}</a>
                    </th>
                    <td>
                      {machine.schedule ? (
                        <>
                          <code>{machine.schedule.expression}</code>
                          <div class="muted small">{machine.schedule.description}</div>
                        </>
                      ) : (
                        <span class="muted">on demand</span>
                      )}
                    </td>
                    <td>
                      {machine.lastExecution ? (
                        <a href={executionPage(machine.name, machine.lastExecution.name)}>
                          {machine.lastExecution.name}
                        </a>
                      ) : (
                        '–'
                      )}
                    </td>
                    <td>
                      {machine.lastExecution ? <StatusBadge status={machine.lastExecution.status} /> : '–'}
                    </td>
                    <td class="time">
                      {machine.lastExecution ? shortTime(machine.lastExecution.startDate) : '–'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </LoadState>
    </>
  );
}
