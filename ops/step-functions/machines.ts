import {
  DescribeStateMachineCommand,
  ListStateMachinesCommand,
  type SFNClient,
  type StateMachineListItem,
} from '@aws-sdk/client-sfn';
import { pipelineDefinition } from '../../lib/config/pipeline-definition.js';
import type { StateMachineDefinition } from '../../lib/config/system-definition.js';
import { systems } from '../../systems/index.js';
import { OperationError } from './operation-error.js';

/** Every state machine the endpoint has (all pages). */
export async function listMachines(client: SFNClient): Promise<StateMachineListItem[]> {
  const machines: StateMachineListItem[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(new ListStateMachinesCommand({ nextToken }));
    machines.push(...(page.stateMachines ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return machines;
}

/**
 * A machine by what a user types: its ARN, its deployed name (`smlp-dev-water-retrain`) or the
 * name in the definitions (`water-retrain`) when exactly one deployed machine ends with it.
 */
export function findMachine(machines: readonly StateMachineListItem[], name: string): StateMachineListItem {
  const exact = machines.find((m) => m.stateMachineArn === name || m.name === name);
  if (exact) return exact;
  const suffixed = machines.filter((m) => m.name?.endsWith(`-${name}`));
  if (suffixed.length === 1) return suffixed[0] as StateMachineListItem;
  const known = machines.map((m) => m.name).join(', ');
  throw new OperationError(
    suffixed.length > 1
      ? `"${name}" matches ${suffixed.map((m) => m.name).join(', ')}: give the full name`
      : `no state machine "${name}"; the endpoint has ${known || 'none'}`,
  );
}

/** The definitions' name of a deployed machine: `smlp-dev-water-retrain` → `water-retrain`, given the names in code. */
export function shortName(deployed: string, definitionNames: readonly string[]): string {
  return definitionNames.find((name) => deployed.endsWith(`-${name}`) || deployed === name) ?? deployed;
}

let definitions: readonly StateMachineDefinition[] | undefined;

/**
 * The state machines in code (platform and systems): their names and schedules. Composed and
 * checked once per process: the console asks for every machine of every request.
 */
export function machineDefinitions(): readonly StateMachineDefinition[] {
  definitions ??= pipelineDefinition(systems).stateMachines;
  return definitions;
}

export function definitionNames(): string[] {
  return machineDefinitions().map((definition) => definition.name);
}

/** The definition in code of a machine named as in the definitions or deployed (`smlp-dev-water-retrain`). */
export function definitionOf(name: string): StateMachineDefinition | undefined {
  return machineDefinitions().find((d) => d.name === name || name.endsWith(`-${d.name}`));
}

/** The machine's ASL as the endpoint runs it (DescribeStateMachine's definition, parsed). */
export async function machineAsl(client: SFNClient, stateMachineArn: string): Promise<unknown> {
  const described = await client.send(new DescribeStateMachineCommand({ stateMachineArn }));
  return JSON.parse(described.definition ?? '{}') as unknown;
}
