/**
 * Lambda event filtering for Kinesis, the part the platform uses: a pattern on the record's JSON
 * `data`, where each leaf is a list of allowed values (`{"data": {"pipeline": ["online"]}}`). The
 * stack hands the same pattern to the event source mapping; the local poller matches with this,
 * so a system's stream consumer gets the same records in both places.
 */
import { matchesEventPattern } from '../events/event-pattern.js';

export type FilterPattern = { readonly [field: string]: FilterPattern | readonly (string | number)[] };

/** Only the records of one system: the envelope's `pipeline` field. */
export function pipelineFilterPattern(pipeline: string): FilterPattern {
  return { data: { pipeline: [pipeline] } };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Whether Lambda would deliver a record with these bytes. As on AWS, data that is not a JSON
 * object cannot match a pattern on `data` (such records are dropped, not delivered).
 */
export function recordMatches(pattern: FilterPattern, data: Uint8Array): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(utf8.decode(data));
  } catch {
    return false;
  }
  // Lambda's filter syntax is EventBridge's pattern syntax: one matcher for both.
  return matchesEventPattern(pattern, { data: parsed });
}
