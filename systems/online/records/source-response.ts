import { isPlainObject } from '../../../core/pipelines/validation-helpers.js';

/**
 * A user's source answers in its own shape: either a record (`{features, label, target, time?}`)
 * or a flat object whose other fields are the features (`{temp: 21.5, …, label: 1, target: 3.2}`).
 * The poller numbers records by its own cursor, so whatever tick the source sends is replaced.
 * Checking the values is ingest's job (it quarantines with a reason) and the learner's (it
 * skips), so the answer is passed on as it came, only reshaped.
 */
const RESERVED = new Set(['tick', 'time', 'label', 'target', 'features']);

export type SourceAnswer = { ok: true; data: Record<string, unknown> } | { ok: false; reason: string };

export function recordFromAnswer(body: unknown, tick: number, receivedAt: Date): SourceAnswer {
  if (!isPlainObject(body))
    return {
      ok: false,
      reason: `the source answered JSON that is not an object (${Array.isArray(body) ? 'an array' : body === null ? 'null' : typeof body})`,
    };
  const features =
    'features' in body
      ? body.features
      : Object.fromEntries(Object.entries(body).filter(([name]) => !RESERVED.has(name)));
  return {
    ok: true,
    data: {
      tick,
      // The source's own time when it gives one; else when the poller received it.
      time: typeof body.time === 'string' ? body.time : receivedAt.toISOString(),
      features,
      label: body.label,
      target: body.target,
    },
  };
}

/** `{tick}` in a source URL is replaced by the tick the poller asks for (e.g. `…/?tick={tick}`). */
export function sourceUrlFor(template: string, tick: number): string {
  return template.replaceAll('{tick}', String(tick));
}
