import { useState } from 'preact/hooks';
import { hasLearned, refreshOf, withRefresh } from './feed';
import { ModelPanel } from './model-panel';
import { RefreshControl } from './refresh-control';
import { useOnlineFeed } from './use-online-feed';
import './dashboard.css';

/**
 * The online system's live dashboard: both models' predictions against truth and rolling
 * metrics, polled from the system's API by this tab at the pace its viewer chose.
 */
export default function OnlineDashboard() {
  const [choice, setChoice] = useState(() => refreshOf(location.search));
  const feed = useOnlineFeed(choice.ms);
  const choose = (key: string) => {
    // In this tab's address only: another tab, or another viewer, keeps its own pace.
    history.replaceState(history.state, '', withRefresh(location.pathname + location.search, key));
    setChoice(refreshOf(`?refresh=${key}`));
  };
  const nothingYet =
    feed.updatedAt !== undefined &&
    !hasLearned(feed.metrics, 'classification', feed.results.classification) &&
    !hasLearned(feed.metrics, 'regression', feed.results.regression);

  return (
    <>
      <h1>Online learning</h1>
      <p class="muted">
        Every record is predicted first, then learned (prequential evaluation). Figures come from{' '}
        <a href="/api/online/metrics">/api/online/metrics</a>
        {feed.metrics ? `, rolling over the last ${feed.metrics.window} records` : ''}; the charts from the
        history since the last record this tab saw.
      </p>
      <RefreshControl
        choice={choice}
        onChoose={choose}
        onRefreshNow={feed.refreshNow}
        updatedAt={feed.updatedAt}
      />
      {feed.error && (
        <p class="error online-error" role="alert">
          The online API did not answer: {feed.error}
        </p>
      )}
      {nothingYet && (
        <p class="online-empty" role="status">
          No records learned yet: start <code>online-poll</code> (on its schedule, from the State machines
          page, or <code>smlp start online-poll --local</code>) and the models learn each record it brings.
        </p>
      )}
      <div class="online-models">
        <ModelPanel
          model="classification"
          results={feed.results.classification}
          metrics={feed.metrics?.models.classification}
        />
        <ModelPanel
          model="regression"
          results={feed.results.regression}
          metrics={feed.metrics?.models.regression}
        />
      </div>
    </>
  );
}
