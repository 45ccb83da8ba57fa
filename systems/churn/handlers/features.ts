import { asBag, InputError, intField } from '../../../core/data/input-fields.js';
import { createS3Client } from '../../../lambdas/platform/clients.js';
import { createLogger } from '../../../lambdas/platform/logger.js';
import { defineStep, stepHandler } from '../../../lambdas/platform/step.js';
import { buildSnapshotFeatures, FEATURE_COLUMNS } from '../model/features.js';
import { addDays } from '../model/labels.js';
import type { Row } from '../model/types.js';
import { churnKeys } from '../store/keys.js';
import { readTableRows, tableDays, writeTableDay } from '../store/tables.js';

const logger = createLogger('churn-features');
/** Exported so tests can inject faults an emulator cannot produce (SDK middleware). */
export const s3 = createS3Client();
const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** The longest window a feature looks back over (features.ts's 30-day sums). */
const WINDOW_DAYS = 30;

/**
 * snapshots: the feature rows of every day that is complete and new or changed — touched by this
 * run's events, or after the newest features file — from data up to that day only. The newest
 * day with events is left for the next run: more of its events may still be on their way.
 */
const snapshots = defineStep({
  parse: (input) => {
    const days = input.days === undefined ? [] : input.days;
    if (!Array.isArray(days) || !days.every((d) => typeof d === 'string' && DAY.test(d)))
      throw new InputError(`days must be a list of YYYY-MM-DD days, got ${JSON.stringify(input.days)}`);
    return {
      touched: days as string[],
      maxSnapshots: intField(asBag(input, 'input'), 'maxSnapshots', 400, 1, 5000),
    };
  },
  async run({ touched, maxSnapshots }, { runId }) {
    const summaryDays = await tableDays(s3, churnKeys.summaries);
    const latestDay = summaryDays.at(-1);
    if (!latestDay) return { runId, snapshots: [] as string[], latestDay: null };
    const lastFeatureDay = (await tableDays(s3, churnKeys.features)).at(-1);
    // A snapshot needs a whole window behind it: earlier ones would look like drift to monitoring.
    const firstSnapshot = addDays(summaryDays[0] as string, WINDOW_DAYS - 1);
    const wanted = summaryDays
      .filter((d) => d >= firstSnapshot && d < latestDay)
      .filter((d) => touched.includes(d) || lastFeatureDay === undefined || d > lastFeatureDay)
      // Oldest first: a backfill longer than one run's cap continues where it stopped on the next
      // run (it looks for days after the newest features file), instead of leaving a gap.
      .slice(0, maxSnapshots);
    if (wanted.length === 0) return { runId, snapshots: [] as string[], latestDay };
    const customers = await readTableRows(s3, churnKeys.customers, await tableDays(s3, churnKeys.customers));
    const window = new Map<string, Row[]>();
    const written: string[] = [];
    for (const snapshot of wanted) {
      const first = addDays(snapshot, 1 - WINDOW_DAYS);
      for (const day of [...window.keys()]) if (day < first) window.delete(day);
      for (const day of summaryDays)
        if (day >= first && day <= snapshot && !window.has(day))
          window.set(day, await readTableRows(s3, churnKeys.summaries, [day]));
      const rows = buildSnapshotFeatures({
        snapshot,
        summaries: [...window.values()].flat(),
        customers,
        latestDay,
      });
      await writeTableDay(s3, churnKeys.features, snapshot, rows, FEATURE_COLUMNS);
      written.push(snapshot);
    }
    logger.info('snapshots written', { runId, snapshots: written.length, latestDay });
    return { runId, snapshots: written, latestDay };
  },
});

export const handler = stepHandler({ steps: { snapshots } });
