import { randomUUID } from 'node:crypto';
import {
  DescribeExecutionCommand,
  type DescribeExecutionOutput,
  type ExecutionListItem,
  ListExecutionsCommand,
  RedriveExecutionCommand,
  type RedriveExecutionOutput,
  type SFNClient,
  StartExecutionCommand,
  type StartExecutionOutput,
  type StateMachineListItem,
} from '@aws-sdk/client-sfn';
import { definitionNames, findMachine, listMachines, shortName } from './machines.js';
import { OperationError } from './operation-error.js';

/** `…:stateMachine:NAME` → `…:execution:NAME:EXECUTION`. */
export function executionArnOf(machineArn: string, executionName: string): string {
  return `${machineArn.replace(':stateMachine:', ':execution:')}:${executionName}`;
}

/**
 * The name `npm start`, the console and `smlp start` give an execution: `water-retrain-1a2b3c4d`,
 * so `smlp execution NAME` finds the machine from the name alone.
 */
export function newExecutionName(deployedMachineName: string): string {
  return `${shortName(deployedMachineName, definitionNames())}-${randomUUID().slice(0, 8)}`;
}

/** Starts one execution of the machine with that input (named as `newExecutionName` unless given). */
export function startExecution(
  client: SFNClient,
  machine: Pick<StateMachineListItem, 'stateMachineArn'> & { name?: string | undefined },
  input: unknown,
  name?: string,
): Promise<StartExecutionOutput> {
  return client.send(
    new StartExecutionCommand({
      stateMachineArn: machine.stateMachineArn,
      input: JSON.stringify(input),
      name: name ?? newExecutionName(machine.name ?? ''),
    }),
  );
}

/** Runs a failed execution again from its unsuccessful step (Step Functions' RedriveExecution). */
export function redriveExecution(client: SFNClient, executionArn: string): Promise<RedriveExecutionOutput> {
  return client.send(new RedriveExecutionCommand({ executionArn }));
}

/**
 * An execution by what a user types: its ARN, or its name with `--machine`, or its name alone
 * when it starts with a machine's definition name (the names `npm start`, the console and
 * `smlp start` give: `water-retrain-1a2b3c4d`).
 */
export async function findExecution(
  client: SFNClient,
  nameOrArn: string,
  machine: string | undefined,
): Promise<DescribeExecutionOutput> {
  if (nameOrArn.startsWith('arn:')) return describe(client, nameOrArn);
  const machines = await listMachines(client);
  const candidates: StateMachineListItem[] = machine
    ? [findMachine(machines, machine)]
    : machines
        .filter((m) => {
          const short = shortName(m.name ?? '', definitionNames());
          return nameOrArn.startsWith(`${short}-`);
        })
        .sort((a, b) => (b.name?.length ?? 0) - (a.name?.length ?? 0));
  for (const candidate of candidates) {
    try {
      return await describe(client, executionArnOf(candidate.stateMachineArn ?? '', nameOrArn));
    } catch (error) {
      if ((error as Error).name !== 'ExecutionDoesNotExist') throw error;
    }
  }
  throw new OperationError(
    machine
      ? `no execution "${nameOrArn}" of ${machine}`
      : `no execution "${nameOrArn}" found by its name; pass --machine NAME or the execution ARN`,
  );
}

function describe(client: SFNClient, executionArn: string): Promise<DescribeExecutionOutput> {
  return client.send(new DescribeExecutionCommand({ executionArn }));
}

/** The newest executions of one machine, newest first, up to `limit`. */
export async function recentExecutions(
  client: SFNClient,
  machineArn: string,
  limit: number,
  statusFilter?: ExecutionListItem['status'],
): Promise<ExecutionListItem[]> {
  const found: ExecutionListItem[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new ListExecutionsCommand({
        stateMachineArn: machineArn,
        maxResults: Math.min(100, limit - found.length),
        nextToken,
        ...(statusFilter ? { statusFilter } : {}),
      }),
    );
    found.push(...(page.executions ?? []));
    nextToken = page.nextToken;
  } while (nextToken && found.length < limit);
  return found.slice(0, limit);
}
