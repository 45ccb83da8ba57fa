import { InputError } from '../../core/data/input-fields.js';

/**
 * Who the water handlers are: the system (`pipeline` in records, S3 paths and the registry) and
 * its one model. Kept apart from system.ts so handlers do not load the record spec and generator.
 */
export const PIPELINE = 'water';
export const MODEL = 'forecast';

/**
 * Water's state machines serve water only. A `pipeline` field in their input is not needed; one
 * naming another system is a mistake (a wrong state machine started), so it is refused.
 */
export function refuseOtherPipeline(input: Record<string, unknown>): void {
  if (input.pipeline !== undefined && input.pipeline !== PIPELINE)
    throw new InputError(
      `this is a water state machine; pipeline ${JSON.stringify(input.pipeline)} has its own (leave pipeline out)`,
    );
}
