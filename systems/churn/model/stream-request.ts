import { asBag, InputError } from '../../../core/data/input-fields.js';
import { parseProducerInput } from '../../../lambdas/producer/input.js';
import type { SystemDefinition } from '../../../lib/config/system-definition.js';

/** What `POST /start_stream` accepts: the seed's batch_size, num_batches and interval. */
export interface StreamRequest {
  readonly batchSize: number;
  readonly numBatches: number;
  readonly intervalSeconds: number;
}

const KNOWN = ['batchSize', 'numBatches', 'intervalSeconds'];

/**
 * Checks the request before a state machine is started for it, so a typo is a 400 with the field
 * named, not a failed execution to find later: the producer's own parser, so the limits are the
 * ones the stream will apply.
 */
export function parseStreamRequest(
  body: Record<string, unknown>,
  system: SystemDefinition,
): { ok: true; value: StreamRequest } | { ok: false; error: string } {
  try {
    const bag = asBag(body, 'request body');
    const unknown = Object.keys(bag).filter((key) => !KNOWN.includes(key));
    if (unknown.length > 0)
      throw new InputError(
        `unknown field(s) ${unknown.map((k) => JSON.stringify(k)).join(', ')}; the fields are ${KNOWN.join(', ')}`,
      );
    const parsed = parseProducerInput(bag, [system], { pipeline: system.name });
    return {
      ok: true,
      value: {
        batchSize: parsed.batchSize,
        numBatches: parsed.numBatches,
        intervalSeconds: parsed.intervalSeconds,
      },
    };
  } catch (error) {
    if (error instanceof InputError) return { ok: false, error: error.message };
    throw error;
  }
}
