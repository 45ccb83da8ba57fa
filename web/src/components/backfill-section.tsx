import { useState } from 'preact/hooks';
import type { BackfillView, ScheduleView } from '../api';
import { postJson } from '../api';
import { shortTime } from '../format';
import { parseJsonText } from '../json-text';
import { executionPage, machineApi } from '../links';
import { StatusBadge } from './status-badge';

/**
 * The Backfill form (as `smlp backfill`: one run per scheduled time in the range, each named for
 * its time, so a time that ran is not run again) and the progress of this machine's backfills,
 * which the server runs in the background: every tab on the page sees the same progress.
 */
export function BackfillSection({
  machine,
  schedule,
  backfills,
  onStarted,
}: {
  machine: string;
  schedule: ScheduleView;
  backfills: BackfillView[];
  onStarted: () => void;
}) {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [inputText, setInputText] = useState('');
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<string | undefined>();
  const input = parseJsonText(inputText);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!input.ok) return;
    setBusy(true);
    setRefusal(undefined);
    try {
      await postJson<BackfillView>(`${machineApi(machine)}/backfill`, { from, to, input: input.value });
      onStarted();
    } catch (error) {
      setRefusal((error as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="backfill-heading">
      <h2 id="backfill-heading">Backfill</h2>
      <p class="muted">
        Runs {machine} once for every time its schedule (<code>{schedule.expression}</code>) fired from "from"
        to "to" (both included, UTC), oldest first, with the input the schedule sends. Each run is named for
        its time: a time that already ran is not run again.
      </p>
      <form class="backfill-form" onSubmit={submit} aria-label={`Backfill ${machine}`}>
        <label>
          From (UTC)
          <input
            required
            value={from}
            placeholder="2026-11-20T00:00Z"
            onInput={(e) => setFrom((e.target as HTMLInputElement).value)}
          />
        </label>
        <label>
          To (UTC)
          <input
            required
            value={to}
            placeholder="2026-11-20T06:00Z"
            onInput={(e) => setTo((e.target as HTMLInputElement).value)}
          />
        </label>
        <label class="wide">
          Input (JSON, merged over the schedule's)
          <textarea
            rows={2}
            spellcheck={false}
            value={inputText}
            placeholder='{"batchSize": 20}'
            aria-invalid={!input.ok}
            onInput={(e) => setInputText((e.target as HTMLTextAreaElement).value)}
          />
        </label>
        <div class="actions">
          <button type="submit" disabled={busy || !input.ok || from.trim() === '' || to.trim() === ''}>
            Run backfill
          </button>
        </div>
      </form>
      {!input.ok && (
        <p class="error" role="alert">
          {input.error}
        </p>
      )}
      {refusal && (
        <p class="error" role="alert">
          Backfill not started: {refusal}
        </p>
      )}
      {backfills.map((backfill) => (
        <BackfillProgress key={backfill.id} machine={machine} backfill={backfill} />
      ))}
    </section>
  );
}

function BackfillProgress({ machine, backfill }: { machine: string; backfill: BackfillView }) {
  const ended = backfill.runs.filter((run) => run.progress === 'ended').length;
  const title = `Backfill ${shortTime(backfill.from)} – ${shortTime(backfill.to)}`;
  return (
    <article class="backfill" aria-label={title}>
      <h3>{title}</h3>
      <p role="status">
        {ended} of {backfill.runs.length} scheduled times done
        {backfill.status === 'finished' && ` · finished ${shortTime(backfill.finishedAt ?? '')}`}
        {backfill.status === 'stopped' && ` · stopped: ${backfill.error ?? ''}`}
      </p>
      <progress max={backfill.runs.length} value={ended} aria-label={`${title} progress`} />
      <table aria-label={`${title} runs`}>
        <thead>
          <tr>
            <th scope="col">Scheduled time</th>
            <th scope="col">Execution</th>
            <th scope="col">Status</th>
            <th scope="col">Outcome</th>
          </tr>
        </thead>
        <tbody>
          {backfill.runs.map((run) => (
            <tr key={run.name}>
              <td class="time">{shortTime(run.scheduledTime)}</td>
              <td>
                {run.progress === 'waiting' ? (
                  <span class="muted">{run.name}</span>
                ) : (
                  <a href={executionPage(machine, run.name)}>{run.name}</a>
                )}
              </td>
              <td>
                {run.status ? (
                  <StatusBadge status={run.status} />
                ) : (
                  <span class="muted">{run.progress === 'running' ? 'running…' : 'waiting'}</span>
                )}
              </td>
              <td>{run.outcome ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </article>
  );
}
