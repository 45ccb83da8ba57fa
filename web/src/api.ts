/** The console's JSON API (local/console/api-types.ts has the shapes). */
export type * from '../../local/console/api-types';

/** GET and parse; an error answer becomes an Error with the server's message. */
export async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(url, { signal: signal ?? null, headers: { Accept: 'application/json' } });
  return (await answerOf(response)) as T;
}

/** POST JSON; the answer's JSON is returned for 2xx and 409 (a refusal the page explains). */
export async function postJson<T>(url: string, body: unknown): Promise<{ status: number; data: T }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status === 409) {
    const data = (await response.json()) as T & { error?: string };
    if (data.error) throw new Error(data.error);
    return { status: response.status, data };
  }
  return { status: response.status, data: (await answerOf(response)) as T };
}

async function answerOf(response: Response): Promise<unknown> {
  const text = await response.text();
  let value: unknown;
  try {
    value = text ? JSON.parse(text) : undefined;
  } catch {
    throw new Error(`${response.status} ${response.statusText}: not JSON`);
  }
  if (!response.ok)
    throw new Error(
      (value as { error?: string } | undefined)?.error ?? `${response.status} ${response.statusText}`,
    );
  return value;
}
