import {
  asBag,
  booleanField,
  InputError,
  intField,
  numberField,
  stringField,
  timeField,
} from '../../core/data/input-fields.js';
import { defaultWaterGeneratorOptions, type WaterGeneratorOptions } from '../../core/water/generator.js';

export type ProducerSource =
  | { kind: 'generated'; options: WaterGeneratorOptions }
  | { kind: 'csv'; uri: string };

export interface ProducerInput {
  pipeline: string;
  source: ProducerSource;
  /** Share of the data set (in time order) kept for initial training and not streamed. */
  initialShare: number;
  batchSize: number;
  numBatches: number;
  intervalSeconds: number;
  /** Start the stream share from the beginning, replacing a cursor of another source. */
  resetCursor: boolean;
  scheduledTime: Date;
}

/** Lambda's 15 minutes, less a margin for S3 writes after the last batch. */
const MAX_PACING_SECONDS = 840;

/**
 * Reads the producer's input. Every field is optional, so `{}` from the console works; state
 * machines wrap it as `{ input, execution }`.
 */
export function parseProducerInput(event: unknown, now: () => Date = () => new Date()): ProducerInput {
  const outer = asBag(event, 'producer input');
  const bag = 'input' in outer ? asBag(outer.input, 'producer input') : outer;
  const pipeline = stringField(bag, 'pipeline', 'water', /^[a-z][a-z0-9-]{0,31}$/);
  const batchSize = intField(bag, 'batchSize', 200, 1, 10_000);
  const numBatches = intField(bag, 'numBatches', 3, 1, 10_000);
  const intervalSeconds = numberField(bag, 'intervalSeconds', 0, 0, MAX_PACING_SECONDS);
  if ((numBatches - 1) * intervalSeconds > MAX_PACING_SECONDS) {
    throw new InputError(
      `(numBatches − 1) × intervalSeconds = (${numBatches} − 1) × ${intervalSeconds} s does not fit in one Lambda run (at most ${MAX_PACING_SECONDS} s of pacing); send fewer batches per run or schedule runs more often`,
    );
  }
  return {
    pipeline,
    source: parseSource(bag.source),
    initialShare: numberField(bag, 'initialShare', 0.2, 0, 0.99),
    batchSize,
    numBatches,
    intervalSeconds,
    resetCursor: booleanField(bag, 'resetCursor', false),
    scheduledTime: timeField(bag, 'scheduledTime', now),
  };
}

function parseSource(raw: unknown): ProducerSource {
  const bag = asBag(raw, 'source');
  const kind = stringField(bag, 'kind', typeof bag.uri === 'string' ? 'csv' : 'generated');
  if (kind === 'csv') return { kind, uri: stringField(bag, 'uri', '', /^s3:\/\/[^/]+\/.+/) };
  if (kind !== 'generated')
    throw new InputError(`source.kind must be "generated" or "csv", got ${JSON.stringify(kind)}`);
  const d = defaultWaterGeneratorOptions;
  return {
    kind,
    options: {
      seed: intField(bag, 'seed', d.seed, 0, 2 ** 31 - 1),
      start: stringField(bag, 'start', d.start, /^\d{4}-\d{2}-\d{2}T/),
      hours: intField(bag, 'days', d.hours / 24, 1, 3660) * 24,
      zones: intField(bag, 'zones', d.zones, 1, 100),
      metersPerZone: intField(bag, 'metersPerZone', d.metersPerZone, 1, 100),
      missingRate: numberField(bag, 'missingRate', d.missingRate, 0, 0.5),
      malformedRate: numberField(bag, 'malformedRate', d.malformedRate, 0, 0.5),
    },
  };
}
