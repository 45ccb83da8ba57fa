import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { escapeControls, isPlainObject } from '../../core/pipelines/validation-helpers.js';

/**
 * Shared by the HTTP handlers (Function URLs, API Gateway v2 payloads): one reply shape, one way
 * to read a JSON object body, and one bound on how much of a caller's input an error echoes.
 */

/** How much of an input value an error message repeats back. */
export const ECHO_LIMIT = 80;

export function reply(statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode,
    headers: { 'content-type': 'application/json' },
    body: `${JSON.stringify(body)}\n`,
  };
}

/** `text` cut to `max` characters, with "…" when something was cut. */
export function truncate(text: string, max = ECHO_LIMIT): string {
  if (text.length <= max) return text;
  // Never cut a surrogate pair in half: the reply would carry a lone surrogate.
  const end = /[\uD800-\uDBFF]/.test(text.charAt(max - 1)) ? max - 1 : max;
  return `${text.slice(0, end)}…`;
}

/**
 * A caller's value as an error message shows it: as JSON, control characters escaped, cut at
 * ECHO_LIMIT characters, so a 5 MB id is not sent back in full.
 */
export function echo(value: unknown): string {
  // Strings are cut before they are serialised: JSON.stringify of megabytes is wasted work.
  if (typeof value === 'string') return escapeControls(JSON.stringify(truncate(value)));
  if (value === undefined) return 'nothing';
  // Escaping runs on the cut text only: it is linear in what it is given.
  return truncate(escapeControls(truncate(JSON.stringify(value) ?? String(value))));
}

export type JsonObjectBody =
  | { ok: true; body: Record<string, unknown> | undefined }
  | { ok: false; response: APIGatewayProxyStructuredResultV2 };

/**
 * The request body as a JSON object, `undefined` when there is none, or a 400 reply: a body that
 * is not JSON, or JSON that is not an object (`null`, an array, a number, a string), is refused
 * here so a handler never reads a field of `null`.
 */
export function parseJsonObjectBody(event: APIGatewayProxyEventV2, example: string): JsonObjectBody {
  if (!event.body) return { ok: true, body: undefined };
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return {
      ok: false,
      response: reply(400, { error: `the request body is not JSON; send an object such as ${example}` }),
    };
  }
  if (!isPlainObject(parsed)) {
    return {
      ok: false,
      response: reply(400, {
        error: `the request body must be a JSON object such as ${example}, got ${describeJson(parsed)}`,
      }),
    };
  }
  return { ok: true, body: parsed };
}

function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array (${echo(value)})`;
  return `a ${typeof value} (${echo(value)})`;
}
