import { InputError, intField, numberField, stringField } from '../../../core/data/input-fields.js';
import type { GeneratedDataset } from '../../../core/pipelines/generated-dataset.js';
import { isCalendarDate } from '../../../core/pipelines/validation-helpers.js';
import { defaultSalesGeneratorOptions, generateSales, type SalesGeneratorOptions } from './generator.js';
import { MAX_STORES } from './record-spec.js';

/**
 * Generated Rossmann-like sales: `source: { kind: "generated", stores: 50, days: 400, … }`.
 * `shiftDay` −1 (the default) means no level shift; otherwise it must fall inside the run.
 */
export function parseSalesOptions(bag: Record<string, unknown>): SalesGeneratorOptions {
  const d = defaultSalesGeneratorOptions;
  const start = stringField(bag, 'start', d.start, /^\d{4}-\d{2}-\d{2}$/);
  if (!isCalendarDate(start)) throw new InputError(`start must be a real day YYYY-MM-DD, got "${start}"`);
  const days = intField(bag, 'days', d.days, 1, 3660);
  return {
    seed: intField(bag, 'seed', d.seed, 0, 2 ** 31 - 1),
    stores: intField(bag, 'stores', d.stores, 1, MAX_STORES),
    start,
    days,
    dirtyRate: numberField(bag, 'dirtyRate', d.dirtyRate, 0, 0.5),
    shiftDay: intField(bag, 'shiftDay', d.shiftDay, -1, days - 1),
    shiftStoreShare: numberField(bag, 'shiftStoreShare', d.shiftStoreShare, 0, 1),
    shiftFactor: numberField(bag, 'shiftFactor', d.shiftFactor, 0.01, 10),
  };
}

export const salesDataset: GeneratedDataset = {
  parseOptions: (bag) => ({ ...parseSalesOptions(bag) }),
  generate: (options) => generateSales(options as unknown as SalesGeneratorOptions).records,
};
