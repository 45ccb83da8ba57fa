import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { getJson } from './api';

/** How often every page asks again: each tab on its own, the server keeps no session. */
export const POLL_MS = 2_000;

export interface Polled<T> {
  data: T | undefined;
  error: string | undefined;
  /** Ask now (after a change made from this page), then keep the rhythm. */
  refresh(): void;
}

/**
 * The JSON at `url`, fetched now and again every `intervalMs` after each answer (never two at
 * once). Keeps the last good data while a request fails, and says why.
 */
export function usePoll<T>(url: string | undefined, intervalMs = POLL_MS): Polled<T> {
  const [state, setState] = useState<{ url?: string; data?: T; error?: string }>({});
  const [tick, setTick] = useState(0);
  const timer = useRef<number | undefined>(undefined);

  useEffect(() => {
    if (!url) return;
    const controller = new AbortController();
    const load = async () => {
      try {
        const data = await getJson<T>(url, controller.signal);
        setState({ url, data });
      } catch (error) {
        if (controller.signal.aborted) return;
        setState((previous) => ({ ...previous, error: (error as Error).message }));
      }
      if (!controller.signal.aborted) timer.current = window.setTimeout(load, intervalMs);
    };
    void load();
    return () => {
      controller.abort();
      window.clearTimeout(timer.current);
    };
  }, [url, intervalMs, tick]);

  const refresh = useCallback(() => setTick((t) => t + 1), []);
  // Data of another URL (the page switched systems) is not shown as this one's.
  const current = state.url === url;
  return { data: current ? state.data : undefined, error: state.error, refresh };
}
