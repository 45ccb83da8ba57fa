import type { SFNClient, StateMachineListItem } from '@aws-sdk/client-sfn';
import { findMachine, listMachines } from '../../ops/step-functions/machines.js';
import { OperationError } from '../../ops/step-functions/operation-error.js';
import { HttpError } from './route.js';

/** Step Functions' refusals by their exception name, as the status a page can act on. */
const STATUS_BY_ERROR: Record<string, number> = {
  ExecutionAlreadyExists: 409,
  ExecutionNotRedrivable: 409,
  ExecutionLimitExceeded: 409,
  ExecutionDoesNotExist: 404,
  StateMachineDoesNotExist: 404,
  InvalidArn: 400,
  InvalidExecutionInput: 400,
  InvalidName: 400,
  ValidationException: 400,
};

/**
 * Runs a route's Step Functions work; a refusal of the API, or an operation that names what it
 * did not find (OperationError: no such machine or execution), becomes an answer with its message.
 */
export async function withSfnErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof HttpError) throw error;
    if (error instanceof OperationError) throw new HttpError(404, error.message);
    const status = STATUS_BY_ERROR[(error as Error).name];
    if (status !== undefined) throw new HttpError(status, (error as Error).message);
    throw error;
  }
}

/** Machine and execution names as Step Functions allows them (and nothing a path could misuse). */
const NAME = /^[\w.-]{1,80}$/;

export function checkedName(value: string | undefined, what: string): string {
  if (value === undefined || !NAME.test(value))
    throw new HttpError(
      400,
      `${what} must be 1 to 80 letters, digits, ".", "-" or "_", got ${JSON.stringify(value ?? '')}`,
    );
  return value;
}

/** A machine by its name in the definitions or its deployed name (400 for a malformed name, 404 for an unknown one). */
export async function machineNamed(
  client: SFNClient,
  name: string | undefined,
): Promise<StateMachineListItem> {
  const wanted = checkedName(name, 'a state machine name');
  return findMachine(await listMachines(client), wanted);
}
