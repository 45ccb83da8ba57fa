/**
 * The execution input a rule builds from an event: each input field is a JSON path into the
 * event (`$.detail.object.key`) or, when it is not one, a constant. The stack turns the same map
 * into an input transformer (`EventField.fromPath`); the local bus evaluates it with this.
 */

/** `$`, or `$` followed by `.field` steps (field names as EventBridge writes them: `detail-type`). */
const EVENT_PATH = /^\$(\.[A-Za-z0-9_-]+)*$/;

/**
 * Every execution a rule starts gets the event's id in its input, under this field: it traces the
 * execution to the event, and LocalStack's Step Functions target (4.14) names the execution after
 * the transformed input's `id` and fails when it has none. A system may not use the field itself.
 */
export const EVENT_ID_FIELD = 'id';

/** A rule's input map as both sides apply it: the system's fields and the event's id. */
export function withEventId(input: Readonly<Record<string, string>>): Record<string, string> {
  return { ...input, [EVENT_ID_FIELD]: '$.id' };
}

export function isEventPath(value: string): boolean {
  return value.startsWith('$');
}

/** What is wrong with an input map, one line per field; empty when every path is one both sides read. */
export function eventInputProblems(input: Readonly<Record<string, string>>): string[] {
  const reserved =
    EVENT_ID_FIELD in input
      ? [`input "${EVENT_ID_FIELD}" is reserved: every rule adds the event's id under it`]
      : [];
  return [
    ...reserved,
    ...Object.entries(input).flatMap(([field, value]) =>
      isEventPath(value) && !EVENT_PATH.test(value)
        ? [`input "${field}": "${value}" is not a path of the form $.detail.object.key`]
        : [],
    ),
  ];
}

/**
 * The input for one event (the event's id added, as the stack's input transformer adds it). A path that is not in the event gives null: the input keeps its
 * shape, and the state machine's own input checks say what was missing.
 */
export function eventInput(input: Readonly<Record<string, string>>, event: unknown): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(withEventId(input)).map(([field, value]) => [
      field,
      isEventPath(value) ? atPath(event, value) : value,
    ]),
  );
}

function atPath(event: unknown, path: string): unknown {
  let node: unknown = event;
  for (const step of path.split('.').slice(1)) {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return null;
    node = (node as Record<string, unknown>)[step];
  }
  return node === undefined ? null : node;
}

/**
 * The pattern with `${DataBucket}` and `${ArtifactsBucket}` replaced in every string (S3 events
 * name the bucket, whose name only the deployment knows).
 */
// biome-ignore lint/suspicious/noTemplateCurlyInString: the placeholder a system writes in its pattern
export const DATA_BUCKET = '${DataBucket}';
// biome-ignore lint/suspicious/noTemplateCurlyInString: the placeholder a system writes in its pattern
export const ARTIFACTS_BUCKET = '${ArtifactsBucket}';

export function withBucketNames<T>(
  pattern: T,
  buckets: { readonly data: string; readonly artifacts: string },
): T {
  const replace = (value: unknown): unknown => {
    if (typeof value === 'string')
      return value.replaceAll(DATA_BUCKET, buckets.data).replaceAll(ARTIFACTS_BUCKET, buckets.artifacts);
    if (Array.isArray(value)) return value.map(replace);
    if (typeof value === 'object' && value !== null)
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, replace(item)]));
    return value;
  };
  return replace(pattern) as T;
}
