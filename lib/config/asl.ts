import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './repo-root.js';
import { retriersFor } from './retry-policies.js';
import type { FunctionDefinition, StateMachineDefinition } from './system-definition.js';

/**
 * Reads a state machine's ASL file and renders it the one way both runtimes use: each
 * `lambda:invoke` Task without its own `Retry` gets the shared policies for the errors its
 * function declares. Function ARNs and the partition stay `${Placeholder}`s: CloudFormation
 * substitutes them on AWS (DefinitionSubstitutions, the partition from `AWS::Partition`), the
 * local runtime with local ARNs and `aws`.
 */

/**
 * The placeholder every ASL file uses for the partition (`aws`, `aws-cn`, `aws-us-gov`), so one
 * file deploys to any of the partitions `cdk.json` targets. Built in: no definition declares it.
 */
export const PARTITION_PLACEHOLDER = 'Partition';

/** The partition the local runtime substitutes (its fake ARNs are in `aws` too). */
export const LOCAL_PARTITION = 'aws';

/** The `lambda:invoke` integration as ASL files write it. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: an ASL placeholder, substituted at deploy time
export const LAMBDA_INVOKE = 'arn:${Partition}:states:::lambda:invoke';

/** A resource of the ASL files with the partition filled in (`inPartition(LAMBDA_INVOKE, 'aws-cn')`). */
export function inPartition(resource: string, partition: string): string {
  return resource.replaceAll(`\${${PARTITION_PLACEHOLDER}}`, partition);
}

export interface AslState {
  Type: string;
  Resource?: string;
  Parameters?: { FunctionName?: string; [key: string]: unknown };
  Retry?: unknown[];
  Catch?: { ErrorEquals: string[]; Next: string }[];
  ItemProcessor?: { States: Record<string, AslState> };
  Iterator?: { States: Record<string, AslState> };
  Branches?: { States: Record<string, AslState> }[];
  [key: string]: unknown;
}

export interface Asl {
  StartAt: string;
  TimeoutSeconds?: number;
  States: Record<string, AslState>;
  [key: string]: unknown;
}

/**
 * The substitutions of a definition: function ARNs (by `arnOf`), plain values and the partition.
 * The stacks pass CloudFormation tokens (`functionArn`, `Stack.partition`), the local runtime
 * local ARNs and `aws`.
 */
export function substitutions(
  definition: StateMachineDefinition,
  arnOf: (functionKey: string) => string,
  partition: string = LOCAL_PARTITION,
): Record<string, string> {
  return {
    ...Object.fromEntries(
      Object.entries(definition.functionPlaceholders).map(([name, key]) => [name, arnOf(key)]),
    ),
    ...definition.values,
    [PARTITION_PLACEHOLDER]: partition,
  };
}

/** Every Task state in a definition, nested Map and Parallel states included. */
export function taskStates(states: Record<string, AslState>): [string, AslState][] {
  return Object.entries(states).flatMap(([name, state]) => [
    ...(state.Type === 'Task' ? [[name, state] as [string, AslState]] : []),
    ...(state.ItemProcessor ? taskStates(state.ItemProcessor.States) : []),
    ...(state.Iterator ? taskStates(state.Iterator.States) : []),
    ...(state.Branches ?? []).flatMap((branch) => taskStates(branch.States)),
  ]);
}

/** The function key a Task invokes, from its `${Placeholder}`; undefined for other Tasks. */
export function invokedFunction(definition: StateMachineDefinition, state: AslState): string | undefined {
  const name = state.Parameters?.FunctionName;
  const placeholder = typeof name === 'string' ? /^\$\{(\w+)\}$/.exec(name)?.[1] : undefined;
  return placeholder ? definition.functionPlaceholders[placeholder] : undefined;
}

export function renderAsl(
  definition: StateMachineDefinition,
  functions: Readonly<Record<string, FunctionDefinition>>,
  repoRoot = REPO_ROOT,
): Asl {
  const where = `State machine "${definition.name}"`;
  const file = definition.aslFile;
  let text: string;
  try {
    text = readFileSync(path.join(repoRoot, definition.aslFile), 'utf8');
  } catch (error) {
    throw new Error(
      `${where}: cannot read ASL file ${file} (${(error as Error).message}); expected a path relative to the repository root`,
    );
  }
  let asl: Asl;
  try {
    asl = JSON.parse(text) as Asl;
  } catch (error) {
    throw new Error(`${where}: ${file} is not valid JSON (${(error as Error).message})`);
  }
  const timeout = asl.TimeoutSeconds;
  // The file is the one place both AWS and the local runtime read it from, and an execution
  // without a timeout can hang for a year.
  if (!(typeof timeout === 'number' && Number.isInteger(timeout) && timeout > 0))
    throw new Error(
      `${where}: ${file} must set TimeoutSeconds to a whole number of seconds > 0, got ${JSON.stringify(timeout)}`,
    );
  if (
    PARTITION_PLACEHOLDER in definition.functionPlaceholders ||
    definition.values?.[PARTITION_PLACEHOLDER] !== undefined
  )
    throw new Error(
      `${where}: \${${PARTITION_PLACEHOLDER}} is built in (the deployment's partition); expected no functionPlaceholders or values entry of that name`,
    );
  // A literal partition deploys to that partition only, and cdk.json also targets aws-cn.
  const literal = /arn:aws(-[a-z]+)*:[^"]*/.exec(text);
  if (literal)
    throw new Error(
      `${where}: ${file} hard-codes the partition in ${literal[0]}; expected arn:\${${PARTITION_PLACEHOLDER}}:${literal[0].split(':').slice(2).join(':')}`,
    );
  for (const match of text.matchAll(/\$\{(\w+)\}/g)) {
    const name = match[1] as string;
    if (name === PARTITION_PLACEHOLDER) continue;
    if (!definition.functionPlaceholders[name] && definition.values?.[name] === undefined)
      throw new Error(
        `${where}: ${file} uses ${match[0]}, which neither functionPlaceholders nor values declares`,
      );
  }
  for (const [stateName, state] of taskStates(asl.States)) {
    if (state.Resource !== LAMBDA_INVOKE || state.Retry !== undefined) continue;
    const key = invokedFunction(definition, state);
    const fn = key ? functions[key] : undefined;
    if (!fn) throw new Error(`${where}: ${file}: Task "${stateName}" invokes no defined function`);
    state.Retry = retriersFor(fn.errors ?? {});
  }
  return asl;
}
