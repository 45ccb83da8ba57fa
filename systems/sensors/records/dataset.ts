import { intField, numberField, stringField } from '../../../core/data/input-fields.js';
import type { GeneratedDataset } from '../../../core/pipelines/generated-dataset.js';
import { defaultSensorGeneratorOptions, generateSensorReadings } from './generator.js';

/** Generated sensor readings: `source: { kind: "generated", days: 8, sensors: 10, … }`. */
export const sensorsDataset: GeneratedDataset = {
  parseOptions(bag) {
    const d = defaultSensorGeneratorOptions;
    return {
      ...d,
      seed: intField(bag, 'seed', d.seed, 0, 2 ** 31 - 1),
      start: stringField(bag, 'start', d.start, /^\d{4}-\d{2}-\d{2}T00:00(:00(\.0+)?)?Z$/),
      days: intField(bag, 'days', d.days, 1, 366),
      sensors: intField(bag, 'sensors', d.sensors, 1, 1000),
      readingsPerHour: intField(bag, 'readingsPerHour', d.readingsPerHour, 1, 60),
      missingRate: numberField(bag, 'missingRate', d.missingRate, 0, 0.5),
      malformedRate: numberField(bag, 'malformedRate', d.malformedRate, 0, 0.5),
    };
  },
  generate: (options) => generateSensorReadings(options as never).rows.map((row) => row.data),
};
