import { sensorRecordSpec } from '../sensors/reading.js';
import { waterRecordSpec } from '../water/reading.js';
import type { RecordSpec } from './record-spec.js';

/** Every pipeline whose records travel on the stream. */
const specs: ReadonlyMap<string, RecordSpec<unknown>> = new Map(
  [waterRecordSpec as RecordSpec<unknown>, sensorRecordSpec as RecordSpec<unknown>].map((spec) => [
    spec.pipeline,
    spec,
  ]),
);

export function recordSpecFor(pipeline: string): RecordSpec<unknown> | undefined {
  return specs.get(pipeline);
}

export function knownPipelines(): string[] {
  return [...specs.keys()];
}

/** Like `recordSpecFor`, but a clear error for a name nobody registered. */
export function requireRecordSpec(pipeline: string): RecordSpec<unknown> {
  const spec = specs.get(pipeline);
  if (!spec)
    throw new Error(`Unknown pipeline "${pipeline}"; known pipelines: ${knownPipelines().join(', ')}`);
  return spec;
}
