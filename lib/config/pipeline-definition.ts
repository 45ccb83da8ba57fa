/**
 * The one description of what runs, composed from the platform and the systems it is given:
 * functions, the stream's event source mapping, state machines and their schedules. The CDK
 * stacks build AWS resources from it and the local runtime runs the same handlers, ASL files and
 * schedules from it, so the two cannot drift apart.
 *
 * Plain data on purpose: the local runtime imports it without loading aws-cdk-lib.
 */
import { type FilterPattern, pipelineFilterPattern } from '../../core/streaming/event-filter.js';
import {
  ingestEventSource,
  platformFunctions,
  platformStateMachines,
  streamStateMachine,
} from './platform-definition.js';
import type {
  EventSourceDefinition,
  FunctionDefinition,
  StateMachineDefinition,
  SystemDefinition,
} from './system-definition.js';

export interface PipelineDefinition {
  readonly systems: readonly SystemDefinition[];
  /** Platform functions and every system's, by key. */
  readonly functions: Readonly<Record<string, FunctionDefinition>>;
  readonly stateMachines: readonly StateMachineDefinition[];
  /** The platform's ingest: every record of the stream. */
  readonly eventSource: EventSourceDefinition;
  /** Systems' own stream consumers, each with the filter that hands it only its system's records. */
  readonly streamConsumers: readonly SystemStreamConsumer[];
  /** The system a function or state machine belongs to; undefined for the platform's own. */
  systemOf(key: string): SystemDefinition | undefined;
}

export interface SystemStreamConsumer {
  readonly system: string;
  readonly definition: EventSourceDefinition;
  readonly filter: FilterPattern;
}

const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/**
 * Puts the platform and the systems together and checks what would otherwise fail late (at
 * deploy time, or in a run): names, ownership, placeholders and least-privilege prefixes.
 */
export function pipelineDefinition(systems: readonly SystemDefinition[]): PipelineDefinition {
  const problems: string[] = [];
  const functions: Record<string, FunctionDefinition> = { ...platformFunctions };
  const stateMachines: StateMachineDefinition[] = [...platformStateMachines];
  const owner = new Map<string, SystemDefinition>();
  const seenSystems = new Set<string>();
  const streamConsumers: SystemStreamConsumer[] = [];

  for (const system of systems) {
    if (!NAME.test(system.name))
      problems.push(`system name "${system.name}" must be lowercase words joined by "-"`);
    if (seenSystems.has(system.name)) problems.push(`two systems are named "${system.name}"`);
    seenSystems.add(system.name);
    if (system.recordSpec.pipeline !== system.name)
      problems.push(`system "${system.name}": its record spec is for "${system.recordSpec.pipeline}"`);
    for (const [key, definition] of Object.entries(system.functions)) {
      if (!key.startsWith(`${system.name}-`))
        problems.push(`system "${system.name}": function "${key}" must be named "${system.name}-…"`);
      if (key in functions) problems.push(`function "${key}" is defined twice`);
      problems.push(...prefixProblems(system.name, key, definition));
      functions[key] = definition;
      owner.set(key, system);
    }
    for (const consumer of system.streamConsumers ?? []) {
      if (!(consumer.functionKey in system.functions))
        problems.push(
          `system "${system.name}": stream consumer "${consumer.functionKey}" is not one of its functions`,
        );
      else if (
        consumer.functionKey === ingestEventSource.functionKey ||
        streamConsumers.some((c) => c.definition.functionKey === consumer.functionKey)
      )
        problems.push(`function "${consumer.functionKey}" consumes the stream twice`);
      streamConsumers.push({
        system: system.name,
        definition: consumer,
        filter: pipelineFilterPattern(system.name),
      });
    }
    if (system.web) {
      const api = system.functions[system.web.apiFunction];
      if (!api)
        problems.push(
          `system "${system.name}": web API "${system.web.apiFunction}" is not one of its functions`,
        );
      else if (!api.functionUrl)
        problems.push(
          `system "${system.name}": web API "${system.web.apiFunction}" has no functionUrl to serve it`,
        );
    }
    const machines = [streamStateMachine(system), ...system.stateMachines].filter(
      (machine): machine is StateMachineDefinition => machine !== undefined,
    );
    for (const machine of machines) {
      if (!machine.name.startsWith(`${system.name}-`))
        problems.push(
          `system "${system.name}": state machine "${machine.name}" must be named "${system.name}-…"`,
        );
      stateMachines.push(machine);
      owner.set(machine.name, system);
    }
  }
  const machineNames = new Set<string>();
  for (const machine of stateMachines) {
    if (machineNames.has(machine.name)) problems.push(`state machine "${machine.name}" is defined twice`);
    machineNames.add(machine.name);
    for (const [placeholder, key] of Object.entries(machine.functionPlaceholders)) {
      if (!(key in functions))
        problems.push(
          `state machine "${machine.name}": \${${placeholder}} names function "${key}", which no one defines`,
        );
      const functionOwner = owner.get(key);
      if (functionOwner && functionOwner !== owner.get(machine.name))
        problems.push(`state machine "${machine.name}" calls "${key}" of system "${functionOwner.name}"`);
    }
  }
  if (problems.length > 0) throw new Error(`Invalid pipeline definition:\n  - ${problems.join('\n  - ')}`);
  return {
    systems,
    functions,
    stateMachines,
    eventSource: ingestEventSource,
    streamConsumers,
    systemOf: (key) => owner.get(key),
  };
}

/**
 * A system's functions touch only their own system's data: every prefix they declare has the
 * system's name as its second segment (`raw/water/`, `models/water/`).
 */
function prefixProblems(system: string, key: string, definition: FunctionDefinition): string[] {
  const problems: string[] = [];
  for (const [bucket, access] of [
    ['dataBucket', definition.access.dataBucket],
    ['artifactsBucket', definition.access.artifactsBucket],
  ] as const) {
    for (const prefix of [...(access?.read ?? []), ...(access?.write ?? []), ...(access?.delete ?? [])]) {
      if (prefix.split('/')[1] !== system)
        problems.push(
          `function "${key}": ${bucket} prefix "${prefix}" is outside system "${system}" (expected "<area>/${system}/…")`,
        );
    }
  }
  return problems;
}
