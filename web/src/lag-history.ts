import { useRef } from 'preact/hooks';
import type { StreamView } from './api';

/** Samples of lag kept per tab: ten minutes at one poll every two seconds. */
const KEEP = 300;

/**
 * The server reports each shard's iterator lag now; this tab remembers what it saw, so the
 * page can draw lag over time without the server keeping a history for it.
 */
export function useLagHistory(view: StreamView | undefined): {
  times: number[];
  byShard: Map<string, (number | null)[]>;
} {
  const history = useRef<{ times: number[]; byShard: Map<string, (number | null)[]>; last?: StreamView }>({
    times: [],
    byShard: new Map(),
  });
  const h = history.current;
  if (view && view !== h.last) {
    h.last = view;
    // A shard seen for the first time has no value at the earlier samples.
    for (const shard of view.shards)
      if (!h.byShard.has(shard.shardId))
        h.byShard.set(
          shard.shardId,
          h.times.map(() => null),
        );
    h.times.push(Date.now());
    for (const [shardId, values] of h.byShard)
      values.push(view.shards.find((s) => s.shardId === shardId)?.millisBehindLatest ?? null);
    if (h.times.length > KEEP) {
      h.times.splice(0, h.times.length - KEEP);
      for (const values of h.byShard.values()) values.splice(0, values.length - KEEP);
    }
  }
  return h;
}
