/**
 * Lambda event filtering for Kinesis, the part the platform uses: a pattern on the record's JSON
 * `data`, where each leaf is a list of allowed values (`{"data": {"pipeline": ["online"]}}`). The
 * stack hands the same pattern to the event source mapping; the local poller matches with this,
 * so a system's stream consumer gets the same records in both places.
 */
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
  return matches(pattern, { data: parsed });
}

function matches(pattern: FilterPattern, value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const object = value as Record<string, unknown>;
  return Object.entries(pattern).every(([field, rule]) => {
    const actual = object[field];
    if (Array.isArray(rule)) return (rule as readonly unknown[]).includes(actual);
    return matches(rule as FilterPattern, actual);
  });
}
