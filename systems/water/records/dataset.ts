import { intField, numberField, stringField } from '../../../core/data/input-fields.js';
import type { GeneratedDataset } from '../../../core/pipelines/generated-dataset.js';
import { defaultWaterGeneratorOptions, generateWaterReadings } from './generator.js';

/** Generated hourly meter readings: `source: { kind: "generated", days: 90, zones: 2, … }`. */
export const waterDataset: GeneratedDataset = {
  parseOptions(bag) {
    const d = defaultWaterGeneratorOptions;
    return {
      seed: intField(bag, 'seed', d.seed, 0, 2 ** 31 - 1),
      start: stringField(bag, 'start', d.start, /^\d{4}-\d{2}-\d{2}T\d{2}:00(:00(\.0+)?)?(Z|[+-]\d{2}:00)$/),
      hours: intField(bag, 'days', d.hours / 24, 1, 3660) * 24,
      zones: intField(bag, 'zones', d.zones, 1, 100),
      metersPerZone: intField(bag, 'metersPerZone', d.metersPerZone, 1, 100),
      missingRate: numberField(bag, 'missingRate', d.missingRate, 0, 0.5),
      malformedRate: numberField(bag, 'malformedRate', d.malformedRate, 0, 0.5),
    };
  },
  generate: (options) => generateWaterReadings(options as never).map((row) => row.data),
};
