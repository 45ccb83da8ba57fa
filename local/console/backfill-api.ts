import { parseBackfillTime, scheduledTimes } from '../../ops/step-functions/backfill.js';
import { definitionOf } from '../../ops/step-functions/machines.js';
import { OperationError } from '../../ops/step-functions/operation-error.js';
import type { ConsoleSources } from './console-sources.js';
import { HttpError, type Route } from './route.js';
import { checkedName, machineNamed, withSfnErrors } from './sfn-lookup.js';

/** Scheduled times one backfill may run, as `smlp backfill`'s default --max. */
const MAX_TIMES = 100;

/**
 * `POST /api/state-machines/:name/backfill {from, to, input?}` starts a backfill in the
 * background (202, its progress view); `GET /api/backfills/:id` is its progress. The machine's
 * page lists its backfills too, so a second tab watches the same one.
 */
export function backfillRoutes(sources: ConsoleSources): Route[] {
  const { client, backfills } = sources.stepFunctions;
  return [
    {
      method: 'POST',
      path: '/api/state-machines/:name/backfill',
      handle: ({ params, body }) =>
        withSfnErrors(async () => {
          const name = checkedName(params.name, 'a state machine name');
          const definition = definitionOf(name);
          if (!definition) throw new HttpError(404, `no state machine "${name}" in the definitions`);
          const schedule = definition.schedule;
          if (!schedule)
            throw new HttpError(400, `${definition.name} has no schedule: start it with "Start execution"`);
          const { from, to, input } = backfillRequest(body);
          const times = scheduledTimesOrRefuse(schedule.expression, from, to);
          if (times.length === 0)
            throw new HttpError(
              400,
              `${definition.name} (${schedule.expression}) has no scheduled time from ${from.toISOString()} to ${to.toISOString()}`,
            );
          const machine = await machineNamed(client, name);
          const view = backfills.start(
            { definition, stateMachineArn: machine.stateMachineArn ?? '', times, extraInput: input },
            { from, to },
          );
          return { status: 202, json: view };
        }),
    },
    {
      method: 'GET',
      path: '/api/backfills/:id',
      async handle({ params }) {
        const view = backfills.byId(params.id ?? '');
        if (!view)
          throw new HttpError(404, `no backfill "${params.id}" (backfills are kept while the console runs)`);
        return { json: view };
      },
    },
  ];
}

function backfillRequest(body: unknown): { from: Date; to: Date; input: Record<string, unknown> } {
  const { from, to, input } = (typeof body === 'object' && body !== null ? body : {}) as Record<
    string,
    unknown
  >;
  const time = (value: unknown, field: string) => {
    const parsed = typeof value === 'string' ? parseBackfillTime(value.trim()) : undefined;
    if (!parsed)
      throw new HttpError(
        400,
        `"${field}" must be an ISO-8601 time such as 2026-11-20T02:00Z, got ${JSON.stringify(value ?? null)}`,
      );
    return parsed;
  };
  const range = { from: time(from, 'from'), to: time(to, 'to') };
  if (range.to < range.from) throw new HttpError(400, '"to" is before "from"');
  if (input !== undefined && (typeof input !== 'object' || input === null || Array.isArray(input)))
    throw new HttpError(
      400,
      '"input" must be a JSON object for a backfill (it is merged over the schedule input)',
    );
  return { ...range, input: (input ?? {}) as Record<string, unknown> };
}

function scheduledTimesOrRefuse(expression: string, from: Date, to: Date): Date[] {
  try {
    return scheduledTimes(expression, from, to, MAX_TIMES);
  } catch (error) {
    if (error instanceof OperationError) throw new HttpError(400, error.message);
    throw error;
  }
}
