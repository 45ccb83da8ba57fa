import { InputError, intField, numberField, stringField } from '../../../core/data/input-fields.js';
import type { GeneratedDataset } from '../../../core/pipelines/generated-dataset.js';
import { isCalendarDate } from '../../../core/pipelines/validation-helpers.js';
import {
  type ChurnGeneratorOptions,
  defaultChurnGeneratorOptions,
  generateChurnEvents,
} from './generator.js';

/**
 * Generated call-detail records: `source: { kind: "generated", customers: 500, days: 120, … }`.
 * `driftStartDay` defaults to two thirds into the run, whatever `days` is.
 */
export function parseChurnOptions(bag: Record<string, unknown>): ChurnGeneratorOptions {
  const d = defaultChurnGeneratorOptions;
  const start = stringField(bag, 'start', d.start, /^\d{4}-\d{2}-\d{2}$/);
  if (!isCalendarDate(start)) throw new InputError(`start must be a real day YYYY-MM-DD, got "${start}"`);
  const days = intField(bag, 'days', d.days, 1, 366);
  return {
    seed: intField(bag, 'seed', d.seed, 0, 2 ** 31 - 1),
    start,
    days,
    customers: intField(bag, 'customers', d.customers, 1, 100_000),
    growthPerDay: numberField(bag, 'growthPerDay', d.growthPerDay, 0, 0.05),
    activity: numberField(bag, 'activity', d.activity, 0.01, 10),
    driftStartDay: intField(bag, 'driftStartDay', Math.floor((days * 2) / 3), 0, days),
    dirtyRate: numberField(bag, 'dirtyRate', d.dirtyRate, 0, 0.5),
  };
}

export const churnDataset: GeneratedDataset = {
  parseOptions: (bag) => ({ ...parseChurnOptions(bag) }),
  generate: (options) => generateChurnEvents(options as unknown as ChurnGeneratorOptions).events,
};
