import { useRef, useState } from 'preact/hooks';
import type { HistoryEntry, ModelView, RollbackView, SystemsView, VersionView } from '../api';
import { postJson } from '../api';
import { LoadState } from '../components/load-state';
import { SystemTabs } from '../components/system-tabs';
import { formatBytes, formatNumber, formatValue, shortTime } from '../format';
import { useLocation } from '../router';
import { usePoll } from '../use-poll';

/** Versions with metrics, the champion, the history with reasons, rollback, downloads. */
export function ModelsPage() {
  const url = useLocation();
  const systems = usePoll<SystemsView>('/api/systems', 10_000);
  const all = systems.data?.systems ?? [];
  const system = all.find((s) => s.name === url.searchParams.get('system')) ?? all[0];
  const model = system?.models.find((m) => m.name === url.searchParams.get('model')) ?? system?.models[0];
  const modelUrl =
    system && model
      ? `/api/systems/${encodeURIComponent(system.name)}/models/${encodeURIComponent(model.name)}`
      : undefined;
  const view = usePoll<ModelView>(modelUrl);

  return (
    <>
      <h1>Models</h1>
      <SystemTabs
        label="Models"
        current={system && model ? `${system.name}/${model.name}` : undefined}
        items={all.flatMap((s) =>
          s.models.map((m) => ({
            key: `${s.name}/${m.name}`,
            text: `${s.name}/${m.name}`,
            href: `/models?system=${encodeURIComponent(s.name)}&model=${encodeURIComponent(m.name)}`,
          })),
        )}
      />
      <LoadState data={view.data} error={view.error ?? systems.error}>
        {(data) => (
          <>
            <Champion view={data} onChanged={view.refresh} />
            <Versions versions={data.versions} />
            <History entries={data.history} />
          </>
        )}
      </LoadState>
    </>
  );
}

function Champion({ view, onChanged }: { view: ModelView; onChanged: () => void }) {
  const { champion } = view;
  return (
    <section aria-labelledby="champion-heading">
      <h2 id="champion-heading">Champion</h2>
      {champion ? (
        <dl class="facts">
          <dt>Version</dt>
          <dd>
            <strong>{champion.version}</strong>
          </dd>
          <dt>Since</dt>
          <dd>
            {shortTime(champion.promotedAt)} ({champion.action})
          </dd>
          <dt>Reason</dt>
          <dd>{champion.reason}</dd>
          <dt>Replaced</dt>
          <dd>{champion.replaced ?? '– (first champion)'}</dd>
          <dt>Rollback returns to</dt>
          <dd>{champion.previous ?? '– (none before it)'}</dd>
        </dl>
      ) : (
        <p class="muted">No champion yet: train and promote a model first.</p>
      )}
      {champion && <RollbackDialog view={view} onChanged={onChanged} />}
    </section>
  );
}

/** The rollback: a reason is required, as with `smlp-models rollback --reason`. */
function RollbackDialog({ view, onChanged }: { view: ModelView; onChanged: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState('');
  const [to, setTo] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | undefined>();
  const previous = view.champion?.previous ?? null;
  // Former champions, newest first, as the history names them (a rollback may return to any).
  const former = [...new Set(view.history.map((h) => h.version))].filter((v) => v !== view.champion?.version);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    try {
      const url = `/api/systems/${encodeURIComponent(view.system)}/models/${encodeURIComponent(view.model)}/rollback`;
      const { data } = await postJson<RollbackView>(url, { reason, ...(to ? { to } : {}) });
      setOutcome({ ok: data.settled, text: data.message });
      dialog.current?.close();
      setReason('');
      setTo('');
      onChanged();
    } catch (error) {
      setOutcome({ ok: false, text: (error as Error).message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button
        type="button"
        disabled={!previous && former.length === 0}
        onClick={() => {
          setOutcome(undefined);
          dialog.current?.showModal();
        }}
      >
        Roll back…
      </button>
      {outcome && (
        <p class={outcome.ok ? 'notice' : 'error'} role="status">
          {outcome.text}
        </p>
      )}
      <dialog ref={dialog} aria-labelledby="rollback-title">
        <form onSubmit={submit}>
          <h3 id="rollback-title">
            Roll back {view.system}/{view.model}
          </h3>
          <label>
            Roll back to
            <select value={to} onChange={(e) => setTo((e.target as HTMLSelectElement).value)}>
              <option value="">
                {previous ? `the previous champion (${previous})` : 'the previous champion'}
              </option>
              {former
                .filter((v) => v !== previous)
                .map((v) => (
                  <option key={v} value={v}>
                    {v}
                  </option>
                ))}
            </select>
          </label>
          <label>
            Reason
            <input
              required
              value={reason}
              placeholder="why the champion goes back (recorded in the history)"
              onInput={(e) => setReason((e.target as HTMLInputElement).value)}
            />
          </label>
          <div class="actions">
            <button type="button" class="secondary" onClick={() => dialog.current?.close()}>
              Cancel
            </button>
            <button type="submit" disabled={busy || reason.trim() === ''}>
              Roll back
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}

function Versions({ versions }: { versions: VersionView[] }) {
  // Metric names differ by system: one column per name any version has.
  const metrics = [...new Set(versions.flatMap((v) => Object.keys(v.metrics)))];
  return (
    <section aria-labelledby="versions-heading">
      <h2 id="versions-heading">Versions ({versions.length})</h2>
      {versions.length === 0 ? (
        <p class="muted">No versions registered yet.</p>
      ) : (
        <div class="scroll">
          <table aria-labelledby="versions-heading">
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Registered</th>
                {metrics.map((name) => (
                  <th scope="col" class="number" key={name}>
                    {name}
                  </th>
                ))}
                <th scope="col">Parameters</th>
                <th scope="col">Artifact</th>
              </tr>
            </thead>
            <tbody>
              {versions.map((v) => (
                <tr key={v.version} class={v.champion ? 'champion' : undefined}>
                  <th scope="row">
                    <code>{v.version}</code>
                    {v.champion && (
                      <span class="badge" title="the champion">
                        ★ champion
                      </span>
                    )}
                  </th>
                  <td class="time">{shortTime(v.registeredAt)}</td>
                  {metrics.map((name) => (
                    <td class="number" key={name}>
                      {v.metrics[name] === undefined ? '–' : formatNumber(v.metrics[name])}
                    </td>
                  ))}
                  <td>
                    <Parameters parameters={v.parameters} />
                  </td>
                  <td>
                    <a href={v.downloadUrl} download aria-label={`Download ${v.version}`}>
                      Download
                    </a>{' '}
                    <span class="muted">{formatBytes(v.artifact.bytes)}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** A version's fit settings: folded, since some are long (windows, exogenous columns). */
function Parameters({ parameters }: { parameters: Record<string, unknown> }) {
  const entries = Object.entries(parameters);
  if (entries.length === 0) return <span class="muted">–</span>;
  return (
    <details>
      <summary>
        {entries.length} parameter{entries.length === 1 ? '' : 's'}
      </summary>
      <dl class="parameters">
        {entries.map(([key, value]) => (
          <div key={key}>
            <dt>{key}</dt>
            <dd>{formatValue(value)}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}

function History({ entries }: { entries: HistoryEntry[] }) {
  return (
    <section aria-labelledby="history-heading">
      <h2 id="history-heading">Promotion history</h2>
      {entries.length === 0 ? (
        <p class="muted">No champion changes yet.</p>
      ) : (
        <div class="scroll">
          <table aria-labelledby="history-heading">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Action</th>
                <th scope="col">Champion</th>
                <th scope="col">Replaced</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={`${e.promotedAt}-${e.version}`}>
                  <td class="time">{shortTime(e.promotedAt)}</td>
                  <td>
                    <span class={`action ${e.action}`}>{e.action}</span>
                  </td>
                  <td>
                    <code>{e.version}</code>
                  </td>
                  <td>{e.replaced ? <code>{e.replaced}</code> : '–'}</td>
                  <td>{e.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
