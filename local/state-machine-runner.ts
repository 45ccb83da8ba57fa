import './polyfills.js';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { StateMachine } from 'aws-local-stepfunctions';
import type { FunctionKey, StateMachineDefinition } from '../lib/config/pipeline-definition.js';

export type LocalHandler = (event: unknown) => Promise<unknown>;

export interface ExecutionRecord {
  executionName: string;
  stateMachine: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  startDate: string;
  stopDate?: string;
  input: unknown;
  output?: unknown;
  error?: string;
  cause?: string;
  /** Errors thrown by handlers during the execution (retried or caught ones included), oldest first. */
  taskErrors: { state: string; error: string; message: string }[];
}

const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';

type AslState = {
  Type: string;
  Resource?: string;
  Parameters?: { FunctionName?: string };
  ItemProcessor?: { States: Record<string, AslState> };
  Iterator?: { States: Record<string, AslState> };
  Branches?: { States: Record<string, AslState> }[];
};

/** Reads an ASL file and fills its `${Placeholder}`s, exactly as the stack's definitionSubstitutions do. */
export function loadDefinition(
  repoRoot: string,
  definition: StateMachineDefinition,
  arnOf: (key: FunctionKey) => string,
): Record<string, unknown> {
  const text = readFileSync(path.join(repoRoot, definition.aslFile), 'utf8');
  const substituted = text.replace(/\$\{(\w+)\}/g, (match, name: string) => {
    const key = definition.functionPlaceholders[name];
    if (!key)
      throw new Error(
        `${definition.aslFile} uses ${match}, which functionPlaceholders of "${definition.name}" does not declare`,
      );
    return arnOf(key);
  });
  return JSON.parse(substituted) as Record<string, unknown>;
}

/** Every Task state in a definition, nested Map and Parallel states included. */
function taskStates(states: Record<string, AslState>): [string, AslState][] {
  return Object.entries(states).flatMap(([name, state]) => [
    ...(state.Type === 'Task' ? [[name, state] as [string, AslState]] : []),
    ...(state.ItemProcessor ? taskStates(state.ItemProcessor.States) : []),
    ...(state.Iterator ? taskStates(state.Iterator.States) : []),
    ...(state.Branches ?? []).flatMap((branch) => taskStates(branch.States)),
  ]);
}

/**
 * Runs the project's ASL files with aws-local-stepfunctions, binding each `lambda:invoke` Task to
 * the in-process handler whose ARN the definition names. A Task that cannot be bound is an
 * error at load time: a local run must never call real AWS by accident.
 */
export class LocalStateMachines {
  readonly executions: ExecutionRecord[] = [];
  private readonly retryIntervalMs: number;
  private readonly machines = new Map<
    string,
    { machine: StateMachine; tasks: Map<string, LocalHandler>; retryStates: string[] }
  >();

  constructor(options: {
    repoRoot: string;
    definitions: readonly StateMachineDefinition[];
    functionArn: (key: FunctionKey) => string;
    handlers: ReadonlyMap<string, LocalHandler>;
    /** Retry waits in milliseconds (the ASL's intervals are minutes of wall time on AWS). */
    retryIntervalMs?: number;
  }) {
    this.retryIntervalMs = options.retryIntervalMs ?? 50;
    for (const definition of options.definitions) {
      const asl = loadDefinition(options.repoRoot, definition, options.functionArn);
      const tasks = new Map<string, LocalHandler>();
      for (const [stateName, state] of taskStates(asl.States as Record<string, AslState>)) {
        const functionName = state.Parameters?.FunctionName;
        const handler = functionName ? options.handlers.get(functionName) : undefined;
        if (state.Resource !== LAMBDA_INVOKE || !handler) {
          throw new Error(
            `${definition.aslFile}: Task "${stateName}" (${state.Resource} ${functionName ?? ''}) has no local binding; only lambda:invoke of the project's functions runs locally`,
          );
        }
        if (tasks.has(stateName)) {
          throw new Error(
            `${definition.aslFile}: two Task states are named "${stateName}"; local bindings go by state name`,
          );
        }
        tasks.set(stateName, handler);
      }
      const machine = new StateMachine(asl as never, { validationOptions: { checkArn: false } });
      this.machines.set(definition.name, { machine, tasks, retryStates: [...tasks.keys()] });
    }
  }

  names(): string[] {
    return [...this.machines.keys()];
  }

  /** Runs one execution to its end and records it; resolves with the record, never throws for a failed execution. */
  async startExecution(
    stateMachine: string,
    input: unknown = {},
    executionName = `${stateMachine}-${randomUUID().slice(0, 8)}`,
  ): Promise<ExecutionRecord> {
    const entry = this.machines.get(stateMachine);
    if (!entry) throw new Error(`No state machine "${stateMachine}"; known: ${this.names().join(', ')}`);
    const record: ExecutionRecord = {
      executionName,
      stateMachine,
      status: 'RUNNING',
      startDate: new Date().toISOString(),
      input,
      taskErrors: [],
    };
    this.executions.push(record);
    const overrides = Object.fromEntries(
      [...entry.tasks].map(([stateName, handler]) => [
        stateName,
        async (parameters: unknown) => {
          try {
            const payload = (parameters as { Payload?: unknown }).Payload;
            // The lambda:invoke integration's output shape, which ResultSelector reads.
            return { StatusCode: 200, ExecutedVersion: '$LATEST', Payload: (await handler(payload)) ?? null };
          } catch (error) {
            const e = error as Error;
            record.taskErrors.push({ state: stateName, error: e.name, message: e.message });
            throw error;
          }
        },
      ]),
    );
    const execution = entry.machine.run(input as never, {
      overrides: {
        taskResourceLocalHandlers: overrides as never,
        retryIntervalOverrides: Object.fromEntries(
          entry.retryStates.map((name) => [name, this.retryIntervalMs]),
        ),
      },
      context: { Execution: { Name: executionName, StartTime: record.startDate, Input: input as never } },
    });
    try {
      record.output = await execution.result;
      record.status = 'SUCCEEDED';
    } catch (error) {
      // ExecutionError wraps what ended the run: a Fail state (its Error and Cause) or an uncaught error.
      const failure = ((error as { cause?: unknown }).cause ?? error) as Error;
      record.status = 'FAILED';
      record.error = failure.name;
      const lastTaskError = record.taskErrors.at(-1);
      record.cause = lastTaskError
        ? `${failure.message} (last task error in ${lastTaskError.state}: ${lastTaskError.error}: ${lastTaskError.message})`
        : failure.message;
    }
    record.stopDate = new Date().toISOString();
    return record;
  }
}
