import type { TimelineRowView } from '../api';
import { formatMs } from '../format';
import { prettyJson } from '../json-text';

/**
 * Each state the execution ran, in order, with a bar for when it ran within the whole run
 * (a running state reaches to now), its outcome and the errors its attempts met. Rows of a
 * redriven run carry ↻ and the redrive count.
 */
export function TimelineTable({ rows, now }: { rows: TimelineRowView[]; now: number }) {
  if (rows.length === 0) return <p class="muted">No state has started yet.</p>;
  const start = Math.min(...rows.map((row) => Date.parse(row.enteredAt)));
  const end = Math.max(...rows.map((row) => (row.exitedAt ? Date.parse(row.exitedAt) : now)));
  const span = Math.max(end - start, 1);
  return (
    <div class="scroll">
      <table aria-labelledby="timeline-heading" class="timeline">
        <thead>
          <tr>
            <th scope="col">State</th>
            <th scope="col">Type</th>
            <th scope="col" class="bar-column">
              When
            </th>
            <th scope="col" class="number">
              Took
            </th>
            <th scope="col">Outcome</th>
            <th scope="col">Errors</th>
            <th scope="col">Data</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => {
            const entered = Date.parse(row.enteredAt);
            const exited = row.exitedAt ? Date.parse(row.exitedAt) : now;
            const left = ((entered - start) / span) * 100;
            const width = Math.max(((exited - entered) / span) * 100, 0.5);
            return (
              <tr key={`${row.state}-${index}`} class={`outcome-${row.outcome}`}>
                <th scope="row">
                  {row.redrive !== null && (
                    <span class="redrive-mark" title={`ran in redrive ${row.redrive}`}>
                      ↻{row.redrive}{' '}
                    </span>
                  )}
                  {row.state}
                </th>
                <td>{row.type}</td>
                <td class="bar-column">
                  <div class="bar-track" aria-hidden="true">
                    <div
                      class={`bar bar-${row.outcome}`}
                      style={{ left: `${left}%`, width: `${Math.min(width, 100 - left)}%` }}
                    />
                  </div>
                </td>
                <td class="number">{row.durationMs === null ? '…' : formatMs(row.durationMs)}</td>
                <td>{row.outcome}</td>
                <td class="errors">
                  {row.errors.map((e, i) => (
                    <div key={`${e.error}-${i}`}>
                      <strong>{e.error}</strong>: {e.cause}
                    </div>
                  ))}
                </td>
                <td>
                  <StateData row={row} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** The state's input and output, folded: they can be long. */
function StateData({ row }: { row: TimelineRowView }) {
  if (row.input === null && row.output === null) return null;
  return (
    <details class="state-data">
      <summary>input / output</summary>
      {row.input !== null && (
        <>
          <div class="muted small">input</div>
          <pre>{prettyJson(row.input)}</pre>
        </>
      )}
      {row.output !== null && (
        <>
          <div class="muted small">output</div>
          <pre>{prettyJson(row.output)}</pre>
        </>
      )}
    </details>
  );
}
