import { useRef, useState } from 'preact/hooks';
import type { StartedExecutionView } from '../api';
import { postJson } from '../api';
import { parseJsonText } from '../json-text';
import { machineApi } from '../links';

/** "Start execution…": a JSON input, checked as it is typed; the page links to the run it started. */
export function StartExecutionDialog({
  machine,
  onStarted,
}: {
  machine: string;
  onStarted: (started: StartedExecutionView) => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [text, setText] = useState('{}');
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<string | undefined>();
  const parsed = parseJsonText(text);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!parsed.ok) return;
    setBusy(true);
    setRefusal(undefined);
    try {
      const { data } = await postJson<StartedExecutionView>(`${machineApi(machine)}/executions`, {
        input: parsed.value,
      });
      dialog.current?.close();
      onStarted(data);
    } catch (error) {
      setRefusal((error as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button
        type="button"
        onClick={() => {
          setRefusal(undefined);
          dialog.current?.showModal();
        }}
      >
        Start execution…
      </button>
      <dialog ref={dialog} aria-labelledby="start-title">
        <form onSubmit={submit}>
          <h3 id="start-title">Start {machine}</h3>
          <label>
            Input (JSON)
            <textarea
              rows={8}
              spellcheck={false}
              value={text}
              aria-invalid={!parsed.ok}
              onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
            />
          </label>
          {!parsed.ok && (
            <p class="error" role="alert">
              {parsed.error}
            </p>
          )}
          {refusal && (
            <p class="error" role="alert">
              Not started: {refusal}
            </p>
          )}
          <p class="muted small">
            Named <code>{machine}-</code> and 8 hex digits, as <code>smlp start</code> names it.
          </p>
          <div class="actions">
            <button type="button" class="secondary" onClick={() => dialog.current?.close()}>
              Cancel
            </button>
            <button type="submit" disabled={busy || !parsed.ok}>
              Start
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
