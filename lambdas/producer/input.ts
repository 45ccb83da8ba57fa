import {
  asBag,
  booleanField,
  InputError,
  intField,
  numberField,
  stringField,
  timeField,
} from '../../core/data/input-fields.js';
import { generatedDatasetFor, parseSourceSpec } from '../../core/pipelines/generated-datasets.js';

/** A generated data set with the pipeline generator's options (defaults filled in), or a CSV in S3. */
export type ProducerSource =
  | { kind: 'generated'; options: Record<string, unknown> }
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
    source: parseSource(bag.source, pipeline),
    initialShare: numberField(bag, 'initialShare', 0.2, 0, 0.99),
    batchSize,
    numBatches,
    intervalSeconds,
    resetCursor: booleanField(bag, 'resetCursor', false),
    scheduledTime: timeField(bag, 'scheduledTime', now),
  };
}

function parseSource(raw: unknown, pipeline: string): ProducerSource {
  const spec = parseSourceSpec(raw);
  if (spec.kind === 'csv') return spec;
  return { kind: 'generated', options: generatedDatasetFor(pipeline).parseOptions(spec.options) };
}
