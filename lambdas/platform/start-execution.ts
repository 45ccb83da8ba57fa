import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { createSfnClient } from './clients.js';
import { handlerEnv } from './env.js';

const sfn = createSfnClient();

/**
 * Starts an execution of one of the system's state machines (by short name, one the function's
 * definition lists in `startsStateMachines`) and returns its ARN.
 *
 * With a `name`, the start is idempotent: a retried call that finds its execution already
 * started (ExecutionAlreadyExists: same name, whether it still runs or has ended) gets that
 * execution's ARN instead of an error, so an HTTP endpoint retried by its caller starts one run.
 */
export async function startExecution(
  stateMachine: string,
  input: unknown,
  options: { readonly name?: string } = {},
): Promise<string> {
  const stateMachineArn = handlerEnv.stateMachineArn(stateMachine);
  try {
    const started = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn,
        input: JSON.stringify(input ?? {}),
        ...(options.name ? { name: options.name } : {}),
      }),
    );
    if (!started.executionArn) throw new Error(`StartExecution of ${stateMachine} returned no execution ARN`);
    return started.executionArn;
  } catch (error) {
    if (options.name && (error as Error).name === 'ExecutionAlreadyExists')
      return executionArnOf(stateMachineArn, options.name);
    throw error;
  }
}

/** `arn:…:stateMachine:<machine>` → `arn:…:execution:<machine>:<name>`, as Step Functions names executions. */
export function executionArnOf(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(/:stateMachine:/, ':execution:')}:${name}`;
}
