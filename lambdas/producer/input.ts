import {
  asBag,
  booleanField,
  InputError,
  intField,
  numberField,
  optionalString,
  timeField,
} from '../../core/data/input-fields.js';
import { parseSourceSpec } from '../../core/pipelines/generated-dataset.js';
import type { SystemDefinition } from '../../lib/config/system-definition.js';
import { requireSystem } from '../platform/model-key.js';

/** A generated data set with the system generator's options (defaults filled in), or a CSV in S3. */
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
 * Reads the producer's input. Every field but the system is optional, so `{}` from the console
 * works: a `<system>-stream` state machine names its system itself (`bound.pipeline`).
 */
export function parseProducerInput(
  input: Record<string, unknown>,
  systems: readonly SystemDefinition[],
  bound: Record<string, unknown> = {},
  now: () => Date = () => new Date(),
): ProducerInput {
  const bag = asBag(input, 'producer input');
  const given = optionalString(bag, 'pipeline');
  const fixed = optionalString(bound, 'pipeline');
  if (given !== undefined && fixed !== undefined && given !== fixed)
    throw new InputError(
      `this state machine streams "${fixed}"; pipeline "${given}" has its own stream state machine`,
    );
  const system = requireSystem(systems, fixed ?? given);
  const batchSize = intField(bag, 'batchSize', 200, 1, 10_000);
  const numBatches = intField(bag, 'numBatches', 3, 1, 10_000);
  const intervalSeconds = numberField(bag, 'intervalSeconds', 0, 0, MAX_PACING_SECONDS);
  if ((numBatches - 1) * intervalSeconds > MAX_PACING_SECONDS) {
    throw new InputError(
      `(numBatches − 1) × intervalSeconds = (${numBatches} − 1) × ${intervalSeconds} s does not fit in one Lambda run (at most ${MAX_PACING_SECONDS} s of pacing); send fewer batches per run or schedule runs more often`,
    );
  }
  return {
    pipeline: system.name,
    source: parseSource(bag.source, system),
    initialShare: numberField(bag, 'initialShare', system.stream?.initialShare ?? 0, 0, 0.99),
    batchSize,
    numBatches,
    intervalSeconds,
    resetCursor: booleanField(bag, 'resetCursor', false),
    scheduledTime: timeField(bag, 'scheduledTime', now),
  };
}

function parseSource(raw: unknown, system: SystemDefinition): ProducerSource {
  const spec = parseSourceSpec(raw);
  if (spec.kind === 'csv') return spec;
  if (!system.dataset)
    throw new InputError(
      `system "${system.name}" has no generated data set; pass source: { "uri": "s3://<data bucket>/uploads/file.csv" }`,
    );
  return { kind: 'generated', options: system.dataset.parseOptions(spec.options) };
}
