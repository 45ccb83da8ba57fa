import type { ExecutionSummaryView } from '../api';
import { formatMs, shortTime } from '../format';
import { executionPage } from '../links';
import { StatusBadge } from './status-badge';

/** A machine's executions, newest first, each a link to its page. */
export function ExecutionsTable({
  machine,
  executions,
  labelledBy,
}: {
  machine: string;
  executions: ExecutionSummaryView[];
  labelledBy: string;
}) {
  if (executions.length === 0) return <p class="muted">No executions yet.</p>;
  return (
    <div class="scroll">
      <table aria-labelledby={labelledBy}>
        <thead>
          <tr>
            <th scope="col">Execution</th>
            <th scope="col">Status</th>
            <th scope="col">Started</th>
            <th scope="col" class="number">
              Took
            </th>
            <th scope="col" class="number">
              Redrives
            </th>
          </tr>
        </thead>
        <tbody>
          {executions.map((e) => (
            <tr key={e.name}>
              <th scope="row">
                <a href={executionPage(machine, e.name)}>{e.name}</a>
              </th>
              <td>
                <StatusBadge status={e.status} />
              </td>
              <td class="time">{shortTime(e.startDate)}</td>
              <td class="number">
                {e.stopDate ? formatMs(Date.parse(e.stopDate) - Date.parse(e.startDate)) : '…'}
              </td>
              <td class="number">{e.redriveCount}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
