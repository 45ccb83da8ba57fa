import { asBag, InputError, intField } from '../../../core/data/input-fields.js';
import { addDays, labelsSettled } from './labels.js';

/** Which snapshots a training run learns from: settled labels only, thinned to one every few days. */
export interface TrainingWindow {
  /** Days between two snapshots used (customers change little from one day to the next). */
  readonly snapshotEveryDays: number;
  /** How far back from the newest settled snapshot. */
  readonly windowDays: number;
  /** Fewer settled snapshots than this and the run stops with a reason. */
  readonly minSnapshots: number;
}

export function parseTrainingWindow(input: Record<string, unknown>): TrainingWindow {
  const bag = asBag(input, 'training input');
  const window = {
    snapshotEveryDays: intField(bag, 'snapshotEveryDays', 7, 1, 90),
    windowDays: intField(bag, 'windowDays', 120, 7, 3650),
    minSnapshots: intField(bag, 'minSnapshots', 3, 3, 1000),
  };
  if (window.windowDays < window.snapshotEveryDays * (window.minSnapshots - 1))
    throw new InputError(
      `windowDays (${window.windowDays}) cannot hold minSnapshots (${window.minSnapshots}) snapshots ${window.snapshotEveryDays} days apart`,
    );
  return window;
}

/** The settled snapshots to learn from, oldest first: every n-th day back from the newest settled one. */
export function trainingSnapshots(
  featureDays: readonly string[],
  latestDay: string,
  window: TrainingWindow,
): string[] {
  const settled = featureDays.filter((day) => labelsSettled(day, latestDay)).sort();
  const newest = settled.at(-1);
  if (!newest) return [];
  const oldest = addDays(newest, -window.windowDays);
  const chosen: string[] = [];
  for (let i = settled.length - 1; i >= 0; i -= window.snapshotEveryDays) {
    const day = settled[i] as string;
    if (day < oldest) break;
    chosen.push(day);
  }
  return chosen.reverse();
}
