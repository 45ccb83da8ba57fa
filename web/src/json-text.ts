/** What a JSON editor holds: the value, or why it is not JSON (shown before anything is sent). */
export type JsonText = { ok: true; value: unknown } | { ok: false; error: string };

/** Empty text is `{}`: an execution started without input gets an empty object, as on AWS. */
export function parseJsonText(text: string): JsonText {
  if (text.trim() === '') return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, error: `Not JSON: ${(error as Error).message}` };
  }
}

/** JSON text laid out for reading; text that is not JSON as it is. */
export function prettyJson(text: string | null): string {
  if (text === null) return '';
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
