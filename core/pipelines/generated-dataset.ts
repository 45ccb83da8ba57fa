import { asBag, InputError, stringField } from '../data/input-fields.js';

/**
 * The synthetic data set a system can stream when no CSV is given: the producer asks for
 * `source: { kind: "generated", ...options }` and the system's generator reads its own options.
 */
export interface GeneratedDataset {
  /** Options from the producer input (defaults for everything left out); errors name the field. */
  parseOptions(source: Record<string, unknown>): Record<string, unknown>;
  /** Rows in time order, as they would arrive (a few deliberately malformed). */
  generate(options: Record<string, unknown>): unknown[];
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
