import type { ExecutionListItem, StateMachineListItem } from '@aws-sdk/client-sfn';
import { recentExecutions, startExecution } from '../../ops/step-functions/executions.js';
import { stateGraphOf } from '../../ops/step-functions/graph.js';
import {
  definitionNames,
  definitionOf,
  listMachines,
  machineAsl,
  shortName,
} from '../../ops/step-functions/machines.js';
import type {
  ExecutionSummaryView,
  ScheduleView,
  StartedExecutionView,
  StateMachinesView,
  StateMachineView,
} from './api-types.js';
import type { ConsoleSources } from './console-sources.js';
import { HttpError, type Route } from './route.js';
import { machineNamed, withSfnErrors } from './sfn-lookup.js';

/** Executions a machine's page lists. */
const RECENT = 20;

/**
 * The state machines: the list, one machine's states and executions, starting one, and
 * backfills. The same operations `smlp machines`, `executions`, `start` and `backfill` call
 * (ops/step-functions/), over the runtime's Step Functions API.
 */
export function stateMachineRoutes(sources: ConsoleSources): Route[] {
  const { client } = sources.stepFunctions;
  return [
    {
      method: 'GET',
      path: '/api/state-machines',
      handle: () =>
        withSfnErrors(async () => {
          const machines = await Promise.all(
            (await listMachines(client)).map(async (machine) => {
              const [last] = await recentExecutions(client, machine.stateMachineArn ?? '', 1);
              const name = machineName(machine);
              return {
                name,
                deployedName: machine.name ?? name,
                schedule: scheduleOf(name),
                lastExecution: last ? executionSummary(last) : null,
              };
            }),
          );
          machines.sort((a, b) => a.name.localeCompare(b.name));
          return { json: { machines } satisfies StateMachinesView };
        }),
    },
    {
      method: 'GET',
      path: '/api/state-machines/:name',
      handle: ({ params }) =>
        withSfnErrors(async () => {
          const machine = await machineNamed(client, params.name);
          const arn = machine.stateMachineArn ?? '';
          const name = machineName(machine);
          const [asl, executions] = await Promise.all([
            machineAsl(client, arn),
            recentExecutions(client, arn, RECENT),
          ]);
          const view: StateMachineView = {
            name,
            deployedName: machine.name ?? name,
            stateMachineArn: arn,
            schedule: scheduleOf(name),
            graph: stateGraphOf(asl),
            executions: executions.map(executionSummary),
            backfills: sources.stepFunctions.backfills.ofMachine(name),
          };
          return { json: view };
        }),
    },
    {
      method: 'POST',
      path: '/api/state-machines/:name/executions',
      handle: ({ params, body }) =>
        withSfnErrors(async () => {
          const input = inputOf(body);
          const machine = await machineNamed(client, params.name);
          const started = await startExecution(client, machine, input);
          const arn = started.executionArn ?? '';
          const executionName = arn.split(':').at(-1) ?? '';
          const view: StartedExecutionView = {
            name: executionName,
            executionArn: arn,
            startDate: (started.startDate ?? new Date()).toISOString(),
            page: `/execution?machine=${encodeURIComponent(machineName(machine))}&name=${encodeURIComponent(executionName)}`,
          };
          return { status: 201, json: view };
        }),
    },
  ];
}

function machineName(machine: StateMachineListItem): string {
  return shortName(machine.name ?? '', definitionNames());
}

function scheduleOf(name: string): ScheduleView | null {
  const schedule = definitionOf(name)?.schedule;
  return schedule ? { expression: schedule.expression, description: schedule.description } : null;
}

export function executionSummary(execution: ExecutionListItem): ExecutionSummaryView {
  return {
    name: execution.name ?? '',
    status: execution.status ?? 'UNKNOWN',
    startDate: (execution.startDate ?? new Date(0)).toISOString(),
    stopDate: execution.stopDate?.toISOString() ?? null,
    redriveCount: execution.redriveCount ?? 0,
  };
}

/** `{"input": …}`: any JSON value (the page checks it is JSON before sending); none is `{}`. */
function inputOf(body: unknown): unknown {
  if (body === undefined) return {};
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new HttpError(400, 'send {"input": <the execution input as JSON>}');
  return (body as { input?: unknown }).input ?? {};
}
