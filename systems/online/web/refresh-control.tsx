import { REFRESH_CHOICES, type RefreshChoice } from './feed';

/** The viewer's refresh interval, with a button to look now while paused. */
export function RefreshControl({
  choice,
  onChoose,
  onRefreshNow,
  updatedAt,
}: {
  choice: RefreshChoice;
  onChoose: (key: string) => void;
  onRefreshNow: () => void;
  updatedAt: number | undefined;
}) {
  return (
    <div class="online-refresh">
      <label>
        Refresh{' '}
        <select value={choice.key} onChange={(event) => onChoose((event.target as HTMLSelectElement).value)}>
          {REFRESH_CHOICES.map((c) => (
            <option key={c.key} value={c.key}>
              {c.label}
            </option>
          ))}
        </select>
      </label>
      {choice.ms === null && (
        <button type="button" class="secondary" onClick={onRefreshNow}>
          Refresh now
        </button>
      )}
      <span class="muted small">
        {updatedAt === undefined
          ? 'Not loaded yet'
          : `Updated ${new Date(updatedAt).toLocaleTimeString('en-GB')}`}
      </span>
    </div>
  );
}
