import { gaussian, poisson, seededRandom } from '../../../core/data/seeded-random.js';
import type { LabelledMatrix } from '../../../systems/churn/model/types.js';

/**
 * A small synthetic churn population for the model tests: one row per customer and snapshot day,
 * churn drawn from a known logit in which customer-care calls are the strongest driver. From
 * `shiftFrom` on, the population shifts (more care calls and dropped calls, higher charges) so the
 * monitor has a covariate shift with a known start day.
 */
export const FEATURES = [
  'careCalls30d',
  'droppedCalls30d',
  'monthlyCharge',
  'tenureMonths',
  'minutes30d',
  'dataMb30d',
  'sms30d',
] as const;

export interface PopulationOptions {
  readonly customers: number;
  /** Snapshot days, `YYYY-MM-DD`. */
  readonly days: readonly string[];
  readonly seed: number;
  /** The first day of the covariate shift; none when left out. */
  readonly shiftFrom?: string;
}

export function churnLogit(row: readonly number[]): number {
  const [care, dropped, charge, tenure, minutes] = row as [number, number, number, number, number];
  return -3.6 + 1.6 * care + 0.35 * dropped + 0.02 * (charge - 60) - 0.03 * tenure - 0.003 * (minutes - 300);
}

export function population(options: PopulationOptions): LabelledMatrix {
  const random = seededRandom(options.seed);
  const features: number[][] = [];
  const labels: number[] = [];
  const snapshots: string[] = [];
  const customerIds: string[] = [];
  for (const day of options.days) {
    const shifted = options.shiftFrom !== undefined && day >= options.shiftFrom;
    for (let c = 0; c < options.customers; c++) {
      // One latent usage level drives minutes, data, SMS and (through network load) dropped calls,
      // and dropped calls bring care calls: correlated features, as call-detail records are.
      const usage = gaussian(random);
      const dropped = poisson(random, (shifted ? 2.2 : 1) * Math.exp(0.4 * usage));
      const row = [
        poisson(random, (shifted ? 1.6 : 0.5) + 0.2 * dropped),
        dropped,
        Math.round(40 + 40 * random() + (shifted ? 15 : 0)),
        Math.floor(random() * 72),
        Math.max(0, 300 + 120 * (0.8 * usage + 0.6 * gaussian(random))),
        Math.max(0, 2000 + 800 * (0.7 * usage + 0.7 * gaussian(random))),
        poisson(random, 20 * Math.exp(0.3 * usage)),
      ];
      const p = 1 / (1 + Math.exp(-churnLogit(row)));
      features.push(row);
      labels.push(random() < p ? 1 : 0);
      snapshots.push(day);
      customerIds.push(`c${c}`);
    }
  }
  return { featureNames: [...FEATURES], features, labels, snapshots, customerIds };
}

/** Consecutive days from `start`. */
export function days(start: string, count: number): string[] {
  const first = Date.parse(`${start}T00:00:00Z`);
  return Array.from({ length: count }, (_, i) => new Date(first + i * 86_400_000).toISOString().slice(0, 10));
}

/** Small, fast forest settings for tests. */
export const FAST_SETTINGS = { nTrees: 40, maxDepth: 8, minSamplesLeaf: 5, referenceSampleSize: 2000 };
