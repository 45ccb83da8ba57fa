/**
 * EventBridge event patterns, the part the platform relies on: exact values, `prefix`, `suffix`,
 * `anything-but`, `exists`, `numeric`, `equals-ignore-case` and `wildcard`, nested fields, and
 * arrays in the event (a field matches when any of its elements does). The stack hands a
 * system's pattern to EventBridge as is; the local bus matches events with this, and the Lambda
 * event filter of the stream consumers (core/streaming/event-filter.ts) uses the same walk.
 *
 * `pipelineDefinition` refuses a pattern that uses anything else (`$or`, `cidr`), so a rule can
 * never match on AWS and silently not locally.
 */
export type EventPatternScalar = string | number | boolean | null;
export type EventPatternMatcher = EventPatternScalar | { readonly [operator: string]: unknown };
export type EventPattern = { readonly [field: string]: EventPattern | readonly EventPatternMatcher[] };

const NUMERIC_OPERATORS = new Set(['<', '<=', '=', '>', '>=']);
const OPERATORS = new Set([
  'prefix',
  'suffix',
  'anything-but',
  'exists',
  'numeric',
  'equals-ignore-case',
  'wildcard',
]);

/** Whether an event (any JSON value) matches the pattern. */
export function matchesEventPattern(pattern: EventPattern, event: unknown): boolean {
  if (!isObject(event))
    return Array.isArray(event) && event.some((item) => matchesEventPattern(pattern, item));
  return Object.entries(pattern).every(([field, rule]) => {
    const actual = event[field];
    if (Array.isArray(rule))
      return (rule as readonly EventPatternMatcher[]).some((m) => leafMatches(m, actual));
    return actual !== undefined && matchesEventPattern(rule as EventPattern, actual);
  });
}

/** One matcher of a field's list against the field's value (absent: undefined). */
function leafMatches(matcher: EventPatternMatcher, actual: unknown): boolean {
  if (isObject(matcher) && 'exists' in matcher) {
    // Exists is about leaves: a field holding an object is not a leaf that exists.
    const present = actual !== undefined && !isObject(actual);
    return matcher.exists === present;
  }
  if (actual === undefined || isObject(actual)) return false;
  const values: unknown[] = Array.isArray(actual) ? actual : [actual];
  return values.some((value) => valueMatches(matcher, value));
}

function valueMatches(matcher: EventPatternMatcher, value: unknown): boolean {
  if (!isObject(matcher)) return matcher === value;
  const [operator, operand] = Object.entries(matcher)[0] ?? [];
  switch (operator) {
    case 'prefix':
      return typeof value === 'string' && value.startsWith(operand as string);
    case 'suffix':
      return typeof value === 'string' && value.endsWith(operand as string);
    case 'equals-ignore-case':
      return typeof value === 'string' && value.toLowerCase() === (operand as string).toLowerCase();
    case 'wildcard':
      return typeof value === 'string' && wildcardRegExp(operand as string).test(value);
    case 'numeric':
      return typeof value === 'number' && numericMatches(operand as readonly unknown[], value);
    case 'anything-but':
      return anythingBut(operand, value);
    default:
      return false;
  }
}

function anythingBut(operand: unknown, value: unknown): boolean {
  if (isObject(operand)) return !valueMatches(operand as EventPatternMatcher, value);
  const excluded: unknown[] = Array.isArray(operand) ? operand : [operand];
  return !excluded.includes(value);
}

function numericMatches(conditions: readonly unknown[], value: number): boolean {
  for (let i = 0; i < conditions.length; i += 2) {
    const bound = conditions[i + 1] as number;
    const holds = {
      '<': value < bound,
      '<=': value <= bound,
      '=': value === bound,
      '>': value > bound,
      '>=': value >= bound,
    }[conditions[i] as string];
    if (!holds) return false;
  }
  return true;
}

function wildcardRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`, 's');
}

/**
 * What is wrong with a pattern, as `<path>: <problem>` lines; empty when it is one this matcher
 * (and EventBridge) understands the same way.
 */
export function eventPatternProblems(pattern: unknown, path = ''): string[] {
  if (!isObject(pattern) || Object.keys(pattern).length === 0)
    return [`${path || 'pattern'}: expected an object with at least one field`];
  return Object.entries(pattern).flatMap(([field, rule]) => {
    const at = path ? `${path}.${field}` : field;
    if (field.startsWith('$'))
      return [`${at}: "${field}" is not supported (the local bus could not match it)`];
    if (Array.isArray(rule)) {
      if (rule.length === 0) return [`${at}: an empty list matches nothing`];
      return rule.flatMap((matcher) => matcherProblems(matcher, at));
    }
    if (isObject(rule)) return eventPatternProblems(rule, at);
    return [`${at}: expected a list of values or a nested object, got ${JSON.stringify(rule)}`];
  });
}

function matcherProblems(matcher: unknown, at: string): string[] {
  if (matcher === null || ['string', 'number', 'boolean'].includes(typeof matcher)) return [];
  if (!isObject(matcher)) return [`${at}: ${JSON.stringify(matcher)} is not a value or a matcher`];
  const entries = Object.entries(matcher);
  const [operator, operand] = entries[0] ?? [];
  if (entries.length !== 1 || operator === undefined || !OPERATORS.has(operator))
    return [
      `${at}: ${JSON.stringify(matcher)} is not supported; use one of ${[...OPERATORS].join(', ')} (one per object)`,
    ];
  const bad = (expected: string) => [
    `${at}: "${operator}" expects ${expected}, got ${JSON.stringify(operand)}`,
  ];
  switch (operator) {
    case 'prefix':
    case 'suffix':
    case 'equals-ignore-case':
    case 'wildcard':
      return typeof operand === 'string' ? [] : bad('a string');
    case 'exists':
      return typeof operand === 'boolean' ? [] : bad('true or false');
    case 'numeric':
      return numericProblems(operand) ? bad('pairs of an operator (<, <=, =, >, >=) and a number') : [];
    default: {
      // anything-but: a value, a list of values, or one prefix / suffix / equals-ignore-case.
      if (isObject(operand)) {
        const [inner] = Object.keys(operand);
        return Object.keys(operand).length === 1 &&
          ['prefix', 'suffix', 'equals-ignore-case'].includes(inner ?? '') &&
          typeof Object.values(operand)[0] === 'string'
          ? []
          : bad('a value, a list of values, or { prefix | suffix | equals-ignore-case: string }');
      }
      const values = Array.isArray(operand) ? operand : [operand];
      return values.length > 0 && values.every((v) => ['string', 'number'].includes(typeof v))
        ? []
        : bad('strings or numbers');
    }
  }
}

function numericProblems(operand: unknown): boolean {
  if (!Array.isArray(operand) || operand.length === 0 || operand.length % 2 !== 0) return true;
  return operand.some((item, i) =>
    i % 2 === 0 ? !NUMERIC_OPERATORS.has(item as string) : typeof item !== 'number',
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
