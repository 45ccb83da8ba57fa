import type { DescribeExecutionOutput } from '@aws-sdk/client-sfn';
import { describeExecution } from '../../local/cli/describe-execution.js';
import { definitionNames, shortName } from '../../ops/step-functions/machines.js';
import type { CliContext } from '../context.js';

/** The outcome of an execution that ended: one line in words (or its description as JSON); 0 if it succeeded. */
export function reportEnd(
  context: CliContext,
  machine: string,
  description: DescribeExecutionOutput,
  json: boolean,
): number {
  const status = description.status ?? 'UNKNOWN';
  if (json) context.stdout(`${JSON.stringify(description, null, 2)}\n`);
  else {
    const seconds =
      description.startDate && description.stopDate
        ? ` in ${((description.stopDate.getTime() - (description.redriveDate ?? description.startDate).getTime()) / 1000).toFixed(1)} s`
        : '';
    const words = describeExecution(shortName(machine, definitionNames()), {
      status: status === 'SUCCEEDED' ? 'SUCCEEDED' : 'FAILED',
      output: description.output === undefined ? undefined : JSON.parse(description.output),
      ...(description.error === undefined ? {} : { error: description.error }),
      ...(description.cause === undefined ? {} : { cause: description.cause }),
    });
    context.stdout(`${status}${seconds}: ${words}\n`);
  }
  return status === 'SUCCEEDED' ? 0 : 1;
}
