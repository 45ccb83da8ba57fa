import type { DescribeExecutionOutput } from '@aws-sdk/client-sfn';
import { findExecution, redriveExecution } from '../../ops/step-functions/executions.js';
import { executionHistory } from '../../ops/step-functions/history.js';
import { definitionNames, shortName } from '../../ops/step-functions/machines.js';
import { type TimelineRow, timelineOf } from '../../ops/step-functions/timeline.js';
import type { ExecutionView, RedrivenView, TimelineRowView } from './api-types.js';
import type { ConsoleSources } from './console-sources.js';
import type { Route } from './route.js';
import { checkedName, withSfnErrors } from './sfn-lookup.js';

const EXECUTION_PATH = '/api/executions/:machine/:name';

/**
 * One execution: DescribeExecution and the timeline of its states (what `smlp execution` shows),
 * and its redrive (what `smlp redrive` does, without following it: the page polls).
 */
export function executionRoutes(sources: ConsoleSources): Route[] {
  const { client } = sources.stepFunctions;
  const find = (params: Readonly<Record<string, string>>) =>
    findExecution(
      client,
      checkedName(params.name, 'an execution name'),
      checkedName(params.machine, 'a state machine name'),
    );
  return [
    {
      method: 'GET',
      path: EXECUTION_PATH,
      handle: ({ params }) =>
        withSfnErrors(async () => {
          const execution = await find(params);
          const timeline = timelineOf(await executionHistory(client, execution.executionArn ?? ''));
          return { json: executionView(execution, timeline) };
        }),
    },
    {
      method: 'POST',
      path: `${EXECUTION_PATH}/redrive`,
      handle: ({ params }) =>
        withSfnErrors(async () => {
          const execution = await find(params);
          const redriven = await redriveExecution(client, execution.executionArn ?? '');
          const view: RedrivenView = {
            name: execution.name ?? '',
            redriveDate: (redriven.redriveDate ?? new Date()).toISOString(),
            message: `Redriven ${execution.name}: it runs again from the state that failed.`,
          };
          return { json: view };
        }),
    },
  ];
}

function executionView(execution: DescribeExecutionOutput, timeline: TimelineRow[]): ExecutionView {
  const status = execution.status ?? 'UNKNOWN';
  return {
    machine: shortName(execution.stateMachineArn?.split(':').at(-1) ?? '', definitionNames()),
    name: execution.name ?? '',
    executionArn: execution.executionArn ?? '',
    status,
    startDate: (execution.startDate ?? new Date(0)).toISOString(),
    stopDate: execution.stopDate?.toISOString() ?? null,
    input: execution.input ?? '{}',
    output: execution.output ?? null,
    error: execution.error ?? null,
    cause: execution.cause ?? null,
    redriveCount: execution.redriveCount ?? 0,
    redriveDate: execution.redriveDate?.toISOString() ?? null,
    // An endpoint that does not say (older APIs) is taken at its status: FAILED ones redrive.
    redrivable:
      execution.redriveStatus === undefined ? status === 'FAILED' : execution.redriveStatus === 'REDRIVABLE',
    notRedrivableReason: execution.redriveStatusReason ?? null,
    timeline: timeline.map(timelineRowView),
  };
}

function timelineRowView(row: TimelineRow): TimelineRowView {
  return {
    state: row.state,
    type: row.type,
    enteredAt: row.enteredAt.toISOString(),
    exitedAt: row.exitedAt?.toISOString() ?? null,
    durationMs: row.durationMs ?? null,
    outcome: row.outcome,
    errors: row.errors,
    input: row.input ?? null,
    output: row.output ?? null,
    redrive: row.redrive ?? null,
  };
}
