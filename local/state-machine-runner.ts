import './polyfills.js';
import { randomUUID } from 'node:crypto';
import { StateMachine } from 'aws-local-stepfunctions';
import {
  inPartition,
  LAMBDA_INVOKE,
  LOCAL_PARTITION,
  renderAsl,
  substitutions,
  taskStates,
} from '../lib/config/asl.js';
import type { PipelineDefinition } from '../lib/config/pipeline-definition.js';
import type { StateMachineDefinition } from '../lib/config/system-definition.js';

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

/**
 * The definition exactly as AWS receives it (the shared renderer: Retry policies filled in), with
 * its placeholders filled as CloudFormation's DefinitionSubstitutions do.
 */
export function loadDefinition(
  repoRoot: string,
  definition: StateMachineDefinition,
  pipeline: PipelineDefinition,
  arnOf: (key: string) => string,
): Record<string, unknown> {
  const values = substitutions(definition, arnOf, LOCAL_PARTITION);
  const text = JSON.stringify(renderAsl(definition, pipeline.functions, repoRoot)).replace(
    /\$\{(\w+)\}/g,
    (match, name: string) => values[name] ?? match,
  );
  return JSON.parse(text) as Record<string, unknown>;
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
    definition: PipelineDefinition;
    functionArn: (key: string) => string;
    handlers: ReadonlyMap<string, LocalHandler>;
    /** Retry waits in milliseconds (the ASL's intervals are minutes of wall time on AWS). */
    retryIntervalMs?: number;
  }) {
    this.retryIntervalMs = options.retryIntervalMs ?? 50;
    for (const definition of options.definition.stateMachines) {
      const asl = loadDefinition(options.repoRoot, definition, options.definition, options.functionArn);
      const tasks = new Map<string, LocalHandler>();
      for (const [stateName, state] of taskStates(asl.States as never)) {
        const functionName = state.Parameters?.FunctionName;
        const handler = functionName ? options.handlers.get(functionName) : undefined;
        if (state.Resource !== inPartition(LAMBDA_INVOKE, LOCAL_PARTITION) || !handler) {
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
