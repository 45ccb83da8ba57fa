import { useEffect, useMemo, useState } from 'preact/hooks';
import type { StoreRow } from './sales-api';
import { formatFamily, formatRmspe } from './sales-format';
import { neighbour, parseStoreEntry } from './store-choice';

/**
 * Choosing one of up to 1,115 stores: a text box that suggests stores as their number is typed
 * (a datalist, with each store's type, model and error), Enter or "Show" to go, and buttons to
 * step to the previous and next store.
 */
export function StorePicker({
  rows,
  store,
  onChoose,
}: {
  rows: readonly StoreRow[];
  store: number | undefined;
  onChoose: (store: number) => void;
}) {
  const [text, setText] = useState(store === undefined ? '' : String(store));
  const [problem, setProblem] = useState<string | undefined>(undefined);
  useEffect(() => {
    setText(store === undefined ? '' : String(store));
    setProblem(undefined);
  }, [store]);
  const known = useMemo(() => new Set(rows.map((r) => r.store)), [rows]);
  const withModel = rows.filter((r) => r.family !== null).length;

  const choose = (entry: string) => {
    const parsed = parseStoreEntry(entry, known);
    if ('problem' in parsed) setProblem(parsed.problem);
    else {
      setProblem(undefined);
      onChoose(parsed.store);
    }
  };
  const step = (direction: 1 | -1) => {
    const next = store === undefined ? rows[0]?.store : neighbour(rows, store, direction);
    if (next !== undefined) onChoose(next);
  };

  return (
    <form
      class="sales-picker"
      aria-label="Choose a store"
      onSubmit={(event) => {
        event.preventDefault();
        choose(text);
      }}
    >
      <label for="sales-store">Store</label>
      <input
        id="sales-store"
        type="text"
        inputMode="numeric"
        autoComplete="off"
        list="sales-store-list"
        placeholder="number, e.g. 17"
        value={text}
        aria-invalid={problem ? 'true' : undefined}
        aria-describedby={problem ? 'sales-store-problem' : undefined}
        onInput={(event) => {
          const value = (event.target as HTMLInputElement).value;
          setText(value);
          // Picking a suggestion (not typing) goes straight to the store.
          if ((event as InputEvent).inputType === 'insertReplacementText' || !(event instanceof InputEvent))
            choose(value);
        }}
      />
      <datalist id="sales-store-list">
        {rows.map((r) => (
          <option key={r.store} value={String(r.store)}>
            {`type ${r.storeType}, assortment ${r.assortment} · ${r.family ? `${formatFamily(r.family)}, RMSPE ${formatRmspe(r.observedRmspe ?? r.backtestRmspe)}` : 'no model yet'}`}
          </option>
        ))}
      </datalist>
      <button type="submit">Show</button>
      <button type="button" class="secondary" aria-label="Previous store" onClick={() => step(-1)}>
        ‹
      </button>
      <button type="button" class="secondary" aria-label="Next store" onClick={() => step(1)}>
        ›
      </button>
      <span class="muted small">
        {rows.length.toLocaleString('en-US')} stores, {withModel.toLocaleString('en-US')} with a model
      </span>
      {problem && (
        <p id="sales-store-problem" class="error sales-problem" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}
