/**
 * The one description of what runs, composed from the platform and the systems it is given:
 * functions, the stream's event source mapping, state machines and their schedules. The CDK
 * stacks build AWS resources from it and the local runtime runs the same handlers, ASL files and
 * schedules from it, so the two cannot drift apart.
 *
 * Plain data on purpose: the local runtime imports it without loading aws-cdk-lib.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { eventInputProblems } from '../../core/events/event-input.js';
import { eventPatternProblems } from '../../core/events/event-pattern.js';
import { type FilterPattern, pipelineFilterPattern } from '../../core/streaming/event-filter.js';
import { distributedMapStates } from './distributed-maps.js';
import {
  ingestEventSource,
  platformFunctions,
  platformStateMachines,
  streamStateMachine,
} from './platform-definition.js';
import { REPO_ROOT } from './repo-root.js';
import type {
  EventRuleDefinition,
  EventSourceDefinition,
  FunctionDefinition,
  MetricAlarmDefinition,
  StateMachineDefinition,
  SystemDefinition,
  TableDefinition,
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
  /** Every system's EventBridge rules (each starts one of its own system's state machines). */
  readonly eventRules: readonly EventRuleDefinition[];
  /** Every system's alarms on its own metrics. */
  readonly alarms: readonly MetricAlarmDefinition[];
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
  const eventRules: EventRuleDefinition[] = [];
  const alarms: MetricAlarmDefinition[] = [];
  const tableNames = new Set<string>();

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
    for (const table of system.tables ?? []) {
      if (tableNames.has(table.name)) problems.push(`table "${table.name}" is defined twice`);
      tableNames.add(table.name);
      problems.push(...tableProblems(system.name, table));
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
      problems.push(
        ...accessProblems(system.name, `state machine "${machine.name}"`, machine.s3Access ?? {}),
      );
    }
    const ownMachines = new Set(machines.map((machine) => machine.name));
    problems.push(...orchestrationProblems(system, ownMachines));
    eventRules.push(...(system.eventRules ?? []));
    alarms.push(...(system.alarms ?? []));
  }
  problems.push(...duplicates('event rule', eventRules), ...duplicates('alarm', alarms));
  const machineNames = new Set<string>();
  for (const machine of stateMachines) {
    if (machineNames.has(machine.name)) problems.push(`state machine "${machine.name}" is defined twice`);
    machineNames.add(machine.name);
    problems.push(...distributedMapProblems(machine));
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
    eventRules,
    alarms,
    systemOf: (key) => owner.get(key),
  };
}

/**
 * A system's functions touch only their own system's data: every prefix they declare has the
 * system's name as its second segment (`raw/water/`, `models/water/`).
 */
function prefixProblems(system: string, key: string, definition: FunctionDefinition): string[] {
  return accessProblems(system, `function "${key}"`, definition.access);
}

function accessProblems(
  system: string,
  who: string,
  access: Pick<FunctionDefinition['access'], 'dataBucket' | 'artifactsBucket'>,
): string[] {
  const problems: string[] = [];
  for (const [bucket, prefixes] of [
    ['dataBucket', access.dataBucket],
    ['artifactsBucket', access.artifactsBucket],
  ] as const) {
    for (const prefix of [
      ...(prefixes?.read ?? []),
      ...(prefixes?.write ?? []),
      ...(prefixes?.delete ?? []),
    ]) {
      if (prefix.split('/')[1] !== system)
        problems.push(
          `${who}: ${bucket} prefix "${prefix}" is outside system "${system}" (expected "<area>/${system}/…")`,
        );
    }
  }
  return problems;
}

/**
 * A state machine whose Distributed Map reads its items from S3 (ItemReader) or writes its
 * results there (ResultWriter) does so with its own role, so it must declare those prefixes in
 * `s3Access` (read, write) for the stack to grant them. An ASL file that cannot be read is left
 * to the renderer, which says so.
 */
function distributedMapProblems(machine: StateMachineDefinition): string[] {
  const file = path.join(REPO_ROOT, machine.aslFile);
  if (!existsSync(file)) return [];
  let states: Parameters<typeof distributedMapStates>[0];
  try {
    states = (JSON.parse(readFileSync(file, 'utf8')) as { States?: typeof states }).States ?? {};
  } catch {
    return [];
  }
  const access = machine.s3Access ?? {};
  const declares = (kind: 'read' | 'write') =>
    (access.dataBucket?.[kind]?.length ?? 0) + (access.artifactsBucket?.[kind]?.length ?? 0) > 0;
  const problems: string[] = [];
  for (const [name, state] of distributedMapStates(states)) {
    if (state.ItemReader && !declares('read'))
      problems.push(
        `state machine "${machine.name}": Distributed Map "${name}" reads its items from S3 (ItemReader); declare the prefixes it reads in s3Access (dataBucket or artifactsBucket, read)`,
      );
    if ((state.ResultWriter as { Resource?: string } | undefined)?.Resource && !declares('write'))
      problems.push(
        `state machine "${machine.name}": Distributed Map "${name}" writes its results to S3 (ResultWriter); declare the prefix it writes in s3Access (dataBucket or artifactsBucket, write)`,
      );
  }
  return problems;
}

/** Glue, Athena and DuckDB all take these as identifiers without quoting. */
const TABLE_NAME = /^[a-z][a-z0-9_]*$/;
const COLUMN_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * A table is the system's own (its name and its prefix say whose), and its columns can be told
 * apart the way Athena tells them apart: without regard to case, partition keys included.
 */
function tableProblems(system: string, table: TableDefinition): string[] {
  const problems: string[] = [];
  const at = `system "${system}": table "${table.name}"`;
  const own = system.replace(/-/g, '_');
  if (!TABLE_NAME.test(table.name))
    problems.push(`${at}: the name must be lower-case letters, digits and "_", starting with a letter`);
  if (table.name !== own && !table.name.startsWith(`${own}_`))
    problems.push(`${at}: the name must start with the system's name ("${own}_…")`);
  if (!table.prefix.endsWith('/') || table.prefix.startsWith('/'))
    problems.push(
      `${at}: prefix "${table.prefix}" must be a key prefix ending in "/" (e.g. "summaries/${system}/")`,
    );
  if (!table.prefix.split('/').includes(system))
    problems.push(`${at}: prefix "${table.prefix}" must have "${system}" as one of its segments`);
  if (table.columns.length === 0) problems.push(`${at}: it has no columns`);
  const columns = new Set<string>();
  const keys = new Set<string>();
  for (const [name, isKey] of [
    ...table.columns.map((c) => [c.name, false] as const),
    ...table.partitionKeys.map((k) => [k.name, true] as const),
  ]) {
    const what = isKey ? 'partition key' : 'column';
    if (!COLUMN_NAME.test(name))
      problems.push(`${at}: ${what} "${name}" must be letters, digits and "_", not starting with a digit`);
    const folded = name.toLowerCase();
    if (isKey && columns.has(folded))
      problems.push(
        `${at}: partition key "${name}" is also a column (partition values are in the keys, not in the files)`,
      );
    else if (columns.has(folded) || keys.has(folded))
      problems.push(`${at}: ${what} "${name}" is declared twice (Athena ignores case)`);
    (isKey ? keys : columns).add(folded);
  }
  for (const key of table.partitionKeys) {
    if (key.projection.kind === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(key.projection.start))
      problems.push(
        `${at}: partition key "${key.name}" starts at "${key.projection.start}", expected YYYY-MM-DD`,
      );
  }
  return problems;
}

/** A context key (`-c <flag>=false`): letters and digits, starting with a letter. */
const CONTEXT_FLAG = /^[A-Za-z][A-Za-z0-9]*$/;
/** CloudWatch periods: 10 s, 30 s (high resolution) or a multiple of a minute. */
const validPeriod = (seconds: number) =>
  seconds === 10 || seconds === 30 || (seconds > 0 && seconds % 60 === 0);

/**
 * What a system may start and react to stays inside it: the state machines its functions start
 * and its rules target are its own, rule and alarm names carry its name, and every rule's
 * pattern and input are ones EventBridge and the local bus read alike.
 */
function orchestrationProblems(system: SystemDefinition, ownMachines: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const own = `(its own: ${[...ownMachines].join(', ') || 'none'})`;
  for (const [key, definition] of Object.entries(system.functions)) {
    for (const name of definition.startsStateMachines ?? [])
      if (!ownMachines.has(name))
        problems.push(
          `function "${key}": startsStateMachines names "${name}", which is not a state machine of system "${system.name}" ${own}`,
        );
  }
  for (const rule of system.eventRules ?? []) {
    const at = `system "${system.name}": event rule "${rule.name}"`;
    if (!NAME.test(rule.name) || !rule.name.startsWith(`${system.name}-`))
      problems.push(`${at} must be named "${system.name}-…" (lowercase words joined by "-")`);
    if (!ownMachines.has(rule.target.stateMachine))
      problems.push(
        `${at} targets "${rule.target.stateMachine}", which is not a state machine of the system ${own}`,
      );
    problems.push(...eventPatternProblems(rule.pattern).map((problem) => `${at}: pattern ${problem}`));
    problems.push(...eventInputProblems(rule.target.input).map((problem) => `${at}: ${problem}`));
    if (rule.disableFlag !== undefined && !CONTEXT_FLAG.test(rule.disableFlag))
      problems.push(`${at}: disableFlag "${rule.disableFlag}" must be letters and digits (a context key)`);
  }
  for (const alarm of system.alarms ?? []) {
    const at = `system "${system.name}": alarm "${alarm.name}"`;
    if (!NAME.test(alarm.name) || !alarm.name.startsWith(`${system.name}-`))
      problems.push(`${at} must be named "${system.name}-…" (lowercase words joined by "-")`);
    if (!validPeriod(alarm.periodSeconds))
      problems.push(`${at}: periodSeconds must be 10, 30 or a multiple of 60, got ${alarm.periodSeconds}`);
    if (!(Number.isInteger(alarm.evaluationPeriods) && alarm.evaluationPeriods >= 1))
      problems.push(`${at}: evaluationPeriods must be a whole number >= 1, got ${alarm.evaluationPeriods}`);
  }
  return problems;
}

function duplicates(kind: string, items: readonly { readonly name: string }[]): string[] {
  const seen = new Set<string>();
  return items.flatMap((item) => {
    if (!seen.has(item.name)) {
      seen.add(item.name);
      return [];
    }
    return [`${kind} "${item.name}" is defined twice`];
  });
}
