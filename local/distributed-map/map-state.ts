/**
 * What a Distributed Map state declares, and how the local runtime hands one to the engine:
 * aws-local-stepfunctions ignores ItemReader, ItemBatcher and ResultWriter (it iterates the
 * input as an inline Map), so the engine gets a Task in its place, bound to the local map run,
 * with the state's own InputPath, ResultSelector, ResultPath, OutputPath, Retry, Catch and
 * Next/End. The definition AWS sees (and `definitionOf` returns) keeps the Map.
 */

import { isDistributedMap as isDistributedMapState } from '../../lib/config/distributed-maps.js';

/** A JSONPath ASL state as read from the file (only the fields the local runtime reads). */
export interface AslStateLike {
  Type: string;
  [field: string]: unknown;
}

export interface ItemProcessor {
  ProcessorConfig?: { Mode?: string; ExecutionType?: string };
  StartAt: string;
  States: Record<string, AslStateLike>;
}

export interface DistributedMapState extends AslStateLike {
  Type: 'Map';
  ItemProcessor: ItemProcessor;
  Label?: string;
  ItemsPath?: string;
  ItemReader?: {
    Resource: string;
    ReaderConfig?: {
      InputType?: 'JSON' | 'JSONL' | 'CSV';
      CSVHeaderLocation?: 'FIRST_ROW' | 'GIVEN';
      CSVHeaders?: string[];
      CSVDelimiter?: 'COMMA' | 'SEMICOLON' | 'TAB' | 'PIPE' | 'SPACE';
      MaxItems?: number;
      MaxItemsPath?: string;
    };
    Parameters?: Record<string, unknown>;
  };
  ItemSelector?: Record<string, unknown>;
  ItemBatcher?: {
    MaxItemsPerBatch?: number;
    MaxItemsPerBatchPath?: string;
    MaxInputBytesPerBatch?: number;
    MaxInputBytesPerBatchPath?: string;
    BatchInput?: Record<string, unknown>;
  };
  MaxConcurrency?: number;
  MaxConcurrencyPath?: string;
  ToleratedFailurePercentage?: number;
  ToleratedFailurePercentagePath?: string;
  ToleratedFailureCount?: number;
  ToleratedFailureCountPath?: string;
  ResultWriter?: { Resource?: string; Parameters?: Record<string, unknown> };
}

/** The Resource of the stand-in Task: never called (its state is bound by name), never deployed. */
export const STAND_IN_RESOURCE = 'arn:aws:states:::local:distributed-map';

export function isDistributedMap(state: AslStateLike): state is DistributedMapState {
  return isDistributedMapState(state);
}

/**
 * The Distributed Map states of a definition, by name. Only top-level ones run locally: one inside
 * a Parallel branch, an inline Map or another Distributed Map is refused here, at load time,
 * rather than silently run as an inline Map by the engine.
 */
export function distributedMapsOf(
  states: Record<string, AslStateLike>,
  where: string,
): Map<string, DistributedMapState> {
  const found = new Map<string, DistributedMapState>();
  for (const [name, state] of Object.entries(states)) {
    if (isDistributedMap(state)) {
      found.set(name, state);
      refuseNested(state.ItemProcessor.States, `${where}: in the ItemProcessor of "${name}"`);
    } else refuseNested(childStates(state), where);
  }
  return found;
}

function childStates(state: AslStateLike): Record<string, AslStateLike> {
  const processor = (state.ItemProcessor ?? state.Iterator) as ItemProcessor | undefined;
  const branches = (state.Branches ?? []) as ItemProcessor[];
  return Object.assign({}, processor?.States ?? {}, ...branches.map((branch) => branch.States));
}

function refuseNested(states: Record<string, AslStateLike>, where: string): void {
  for (const [name, state] of Object.entries(states)) {
    if (isDistributedMap(state))
      throw new Error(
        `${where}: Distributed Map "${name}" is nested in a Parallel branch or another Map; the local runtime runs Distributed Maps only at the top level of a definition`,
      );
    refuseNested(childStates(state), where);
  }
}

/** Fields every state type shares with a Task: where its input and result go, and its errors. */
const KEPT = [
  'Comment',
  'InputPath',
  'ResultSelector',
  'ResultPath',
  'OutputPath',
  'Retry',
  'Catch',
  'Next',
  'End',
];

/**
 * The Task the engine runs instead of a Distributed Map. Its Parameters hand the handler both
 * the effective input and the context object (`$$`), which ItemReader, ItemSelector, BatchInput
 * and ResultWriter read. Its timeout is the execution's: the engine's Task default (60 s) would
 * cut a long map run short.
 */
export function standInTask(state: DistributedMapState, timeoutSeconds: number): AslStateLike {
  const task: AslStateLike = {
    Type: 'Task',
    Resource: STAND_IN_RESOURCE,
    Parameters: { 'input.$': '$', 'context.$': '$$' },
    TimeoutSeconds: timeoutSeconds,
  };
  for (const field of KEPT) if (state[field] !== undefined) task[field] = state[field];
  return task;
}
