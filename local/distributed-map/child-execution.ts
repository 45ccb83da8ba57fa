import '../polyfills.js';
import { StateMachine } from 'aws-local-stepfunctions';
import { lambdaInvokeBinding } from '../lambda-invoke.js';
import type { ItemProcessor } from './map-state.js';

export type ChildHandler = (event: unknown) => Promise<unknown>;

export interface ChildTaskError {
  state: string;
  error: string;
  message: string;
}

/** How one child execution of a map run ended: what the ResultWriter and the map's result report. */
export interface ChildResult {
  status: 'SUCCEEDED' | 'FAILED';
  output?: unknown;
  error?: string;
  cause?: string;
  startDate: string;
  stopDate: string;
  /** Errors its handlers threw (retried and caught ones included), oldest first. */
  taskErrors: ChildTaskError[];
  /** The thread it ran on (0: the main thread). */
  threadId: number;
}

/** What a child's context (`$$`) holds: its own execution, and the state machine of the map run. */
export interface ChildContext {
  Execution: { Id: string; Name: string; StartTime?: string; Input?: unknown; RoleArn?: string };
  StateMachine: { Id: string; Name: string };
}

/** The ItemProcessor as a machine of its own: each child is a separate execution of it. */
export function processorMachine(processor: ItemProcessor): StateMachine {
  const { ProcessorConfig: _config, ...definition } = processor;
  return new StateMachine(definition as never, { validationOptions: { noValidate: true } });
}

/**
 * Runs one child execution with its Tasks bound by state name to handlers, each answering in the
 * `lambda:invoke` integration's shape (as the runner's own Tasks do), so Retry, Catch and
 * ResultSelector inside the ItemProcessor behave as on AWS. Never throws for a failed child.
 */
export async function runChild(
  machine: StateMachine,
  handlers: ReadonlyMap<string, ChildHandler>,
  input: unknown,
  context: ChildContext,
  options: { retryIntervalMs: number; threadId: number },
): Promise<ChildResult> {
  const startDate = new Date().toISOString();
  const taskErrors: ChildTaskError[] = [];
  const overrides = Object.fromEntries(
    [...handlers].map(([state, handler]) => [
      state,
      lambdaInvokeBinding(state, handler, (error) => taskErrors.push(error)),
    ]),
  );
  const execution = machine.run(input as never, {
    overrides: {
      taskResourceLocalHandlers: overrides as never,
      retryIntervalOverrides: Object.fromEntries(
        [...handlers.keys()].map((s) => [s, options.retryIntervalMs]),
      ),
    },
    context: { ...context, Execution: { ...context.Execution, StartTime: startDate } } as never,
  });
  try {
    const output = await execution.result;
    return {
      status: 'SUCCEEDED',
      output,
      startDate,
      stopDate: new Date().toISOString(),
      taskErrors,
      threadId: options.threadId,
    };
  } catch (error) {
    const failure = ((error as { cause?: unknown }).cause ?? error) as Error;
    return {
      status: 'FAILED',
      error: failure.name,
      cause: failure.message,
      startDate,
      stopDate: new Date().toISOString(),
      taskErrors,
      threadId: options.threadId,
    };
  }
}
