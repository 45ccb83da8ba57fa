import { getBytes, getJson, listObjects } from '../../adapters/s3-object-store.js';
import { decodeNdjsonGzip } from '../../core/streaming/ndjson.js';
import { onlineKeys } from '../../systems/online/store/keys.js';
import { onlineSystem } from '../../systems/online/system.js';
import { launchChromium } from '../../test/web/chromium.js';
import { startConsoleHarness } from '../../test/web/console-harness.js';
import type { BenchContext, BenchRow, BenchSuite } from '../types.js';
import { hostLoad } from './support/measure.js';

/**
 * How long a record takes from the source to what a person sees, on the local runtime at the
 * wall clock's pace: the poller reads the project's source every 2 s (the system's cadence) and
 * stamps each record with the time it read it; the learner (the stream consumer, 5 s batching
 * window) predicts and learns it. Three observers note when each tick first appears:
 * - the REST API (`/api/online/history` through the console, polled every 100 ms);
 * - the dashboard in Chromium at its fastest refresh (1 s), through a MutationObserver;
 * - the baseline beside them: the platform's batch path, ingest writing the record to raw/
 *   (5 s batching window too), what a system without a stream consumer of its own would have.
 * Latency = first seen − the record's `time`. The observers' own polling adds up to their period.
 * Locally a consumer that has read to the shard's end is invoked at once; on AWS the event source
 * mapping may wait up to its batching window (5 s for both consumers) before it invokes, so the
 * deployed latency is up to that much higher on each path.
 */
const SUITE = 'online-latency';

interface Seen {
  readonly tick: number;
  readonly atMs: number;
}

function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? null;
}

/** Runs in the page: reports every value the "Latest tick" figure takes, the moment it renders. */
const WATCH_LATEST_TICK = `(() => {
  let last = '';
  const check = () => {
    for (const dd of document.querySelectorAll('dd[data-value]')) {
      const term = dd.previousElementSibling ? dd.previousElementSibling.textContent : '';
      const value = dd.getAttribute('data-value') || '';
      if (term === 'Latest tick' && value !== '' && value !== last) {
        last = value;
        window.reportTick(Number(value));
      }
    }
  };
  new MutationObserver(check).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
})()`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const suite: BenchSuite = {
  name: SUITE,
  description: 'online system: source → REST API → dashboard latency (p50, p99), beside the ingest path',
  async run(ctx: BenchContext): Promise<BenchRow[]> {
    const seconds = ctx.quick ? 30 : 120;
    // The handlers' structured logs would bury the progress lines.
    process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
    const harness = await startConsoleHarness({ systems: [onlineSystem], clockSpeed: 1 });
    const browser = await launchChromium();
    try {
      const { runtime } = harness;
      const base = harness.console.url;
      const apiSeen = new Map<number, number>();
      const rawSeen = new Map<number, number>();
      const pageSeen: Seen[] = [];

      const page = await browser.newPage();
      await page.exposeFunction('reportTick', (tick: number) => pageSeen.push({ tick, atMs: Date.now() }));
      await page.goto(`${base}/systems/online?refresh=1`);
      await page.evaluate(WATCH_LATEST_TICK);

      let polling = true;
      const apiObserver = (async () => {
        let since = 0;
        while (polling) {
          const response = await fetch(`${base}/api/online/history?model=classification&since=${since}`);
          if (response.ok) {
            const { items } = (await response.json()) as { items: { tick: number }[] };
            for (const item of items) {
              if (!apiSeen.has(item.tick)) apiSeen.set(item.tick, Date.now());
              since = Math.max(since, item.tick + 1);
            }
          }
          await sleep(100);
        }
      })();
      const rawObserver = (async () => {
        const read = new Set<string>();
        while (polling) {
          for (const object of await listObjects(runtime.s3, runtime.names.dataBucket, 'raw/online/')) {
            if (read.has(object.key)) continue;
            read.add(object.key);
            const at = Date.now();
            const body = await getBytes(runtime.s3, runtime.names.dataBucket, object.key);
            for (const record of body ? decodeNdjsonGzip<{ tick: number }>(body) : [])
              if (!rawSeen.has(record.tick)) rawSeen.set(record.tick, at);
          }
          await sleep(100);
        }
      })();

      ctx.progress(`polling the source every 2 s for ${seconds} s (the system's own cadence, wall clock)`);
      const execution = await runtime.stateMachines.startExecution('online-poll', {
        seconds: Math.min(seconds, 75),
        intervalSeconds: 2,
      });
      if (execution.status !== 'SUCCEEDED') throw new Error(`online-poll ${execution.status}`);
      let remaining = seconds - Math.min(seconds, 75);
      while (remaining > 0) {
        const run = await runtime.stateMachines.startExecution('online-poll', {
          seconds: Math.min(remaining, 75),
          intervalSeconds: 2,
        });
        if (run.status !== 'SUCCEEDED') throw new Error(`online-poll ${run.status}`);
        remaining -= Math.min(remaining, 75);
      }
      // Everything sent is seen by every observer, or the deadline says what was not.
      const deadline = Date.now() + 60_000;
      const history = async () =>
        (
          (await (
            await fetch(`${base}/api/online/history?model=classification&since=0&limit=5000`)
          ).json()) as {
            items: { tick: number; time: string }[];
          }
        ).items;
      let produced = await history();
      while (Date.now() < deadline) {
        produced = await history();
        const last = produced[produced.length - 1]?.tick;
        if (last !== undefined && pageSeen.some((s) => s.tick >= last) && rawSeen.has(last)) break;
        await sleep(500);
      }
      polling = false;
      await Promise.all([apiObserver, rawObserver]);
      const latest = await getJson<{ tick: number }>(
        runtime.s3,
        runtime.names.dataBucket,
        onlineKeys.latest('classification'),
      );

      const timeOf = new Map(produced.map((item) => [item.tick, Date.parse(item.time)]));
      const latencies = (seen: Iterable<[number, number]>) =>
        [...seen]
          .flatMap(([tick, at]) => {
            const produced = timeOf.get(tick);
            return produced === undefined ? [] : [(at - produced) / 1000];
          })
          .sort((a, b) => a - b);
      // The page shows the newest tick only: a record counts as seen when a tick at or after it is.
      const pageFirst = new Map<number, number>();
      for (const tick of timeOf.keys()) {
        const first = pageSeen.find((s) => s.tick >= tick);
        if (first) pageFirst.set(tick, first.atMs);
      }
      const load = hostLoad();
      const row = (impl: string, values: number[], note: string): BenchRow => ({
        suite: SUITE,
        case: `${timeOf.size} records, 1 every 2 s`,
        impl,
        metrics: {
          p50Seconds: percentile(values, 50),
          p99Seconds: percentile(values, 99),
          maxSeconds: values[values.length - 1] ?? null,
          records: values.length,
        },
        note: `${note}; ${load}; latest tick ${latest?.tick ?? 'none'}`,
      });
      return [
        row(
          'ours: source → REST API',
          latencies(apiSeen),
          'learner (5 s batching window), API polled every 100 ms',
        ),
        row('ours: source → dashboard', latencies(pageFirst), 'Chromium, refresh 1 s'),
        row(
          'baseline: source → raw/ (ingest)',
          latencies(rawSeen),
          'the batch path (5 s batching window), listed every 100 ms',
        ),
      ];
    } finally {
      await browser.close();
      await harness.stop();
    }
  },
};
