import { asBag, InputError, intField, numberField, stringField } from '../data/input-fields.js';
import { defaultSensorGeneratorOptions, generateSensorReadings } from '../sensors/generator.js';
import { defaultWaterGeneratorOptions, generateWaterReadings } from '../water/generator.js';

/**
 * The synthetic data set each pipeline can stream when no CSV is given: the producer asks for
 * `source: { kind: "generated", ...options }` and the pipeline's generator reads its own options.
 * A new pipeline adds an entry here; the producer stays as it is.
 */
export interface GeneratedDataset {
  /** Options from the producer input (defaults for everything left out); errors name the field. */
  parseOptions(source: Record<string, unknown>): Record<string, unknown>;
  /** Rows in time order, as they would arrive (a few deliberately malformed). */
  generate(options: Record<string, unknown>): unknown[];
}

const datasets: Record<string, GeneratedDataset> = {
  water: {
    parseOptions(bag) {
      const d = defaultWaterGeneratorOptions;
      return {
        seed: intField(bag, 'seed', d.seed, 0, 2 ** 31 - 1),
        start: stringField(bag, 'start', d.start, /^\d{4}-\d{2}-\d{2}T/),
        hours: intField(bag, 'days', d.hours / 24, 1, 3660) * 24,
        zones: intField(bag, 'zones', d.zones, 1, 100),
        metersPerZone: intField(bag, 'metersPerZone', d.metersPerZone, 1, 100),
        missingRate: numberField(bag, 'missingRate', d.missingRate, 0, 0.5),
        malformedRate: numberField(bag, 'malformedRate', d.malformedRate, 0, 0.5),
      };
    },
    generate: (options) => generateWaterReadings(options as never).map((row) => row.data),
  },
  sensors: {
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
  },
};

export function generatedDatasetFor(pipeline: string): GeneratedDataset {
  const dataset = datasets[pipeline];
  if (!dataset) {
    throw new InputError(
      `no generated data set for pipeline "${pipeline}"; pass source: { "uri": "s3://bucket/file.csv" }`,
    );
  }
  return dataset;
}

/** The `source` of a producer input: a generated data set (its raw options) or a CSV in S3. */
export type SourceSpec =
  | { kind: 'generated'; options: Record<string, unknown> }
  | { kind: 'csv'; uri: string };

export function parseSourceSpec(raw: unknown): SourceSpec {
  const bag = asBag(raw, 'source');
  const kind = stringField(bag, 'kind', typeof bag.uri === 'string' ? 'csv' : 'generated');
  if (kind === 'csv') return { kind, uri: stringField(bag, 'uri', '', /^s3:\/\/[^/]+\/.+/) };
  if (kind !== 'generated')
    throw new InputError(`source.kind must be "generated" or "csv", got ${JSON.stringify(kind)}`);
  const { kind: _, ...options } = bag;
  return { kind, options };
}
