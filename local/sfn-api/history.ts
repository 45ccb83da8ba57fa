import type { HistoryEvent, HistoryEventType } from '@aws-sdk/client-sfn';
import type { ExecutionRecord, RecordedEvent } from '../state-machine-runner.js';

/** An event before it is numbered: what happened, when, and its details field. */
type Unnumbered = Omit<HistoryEvent, 'id' | 'previousEventId'>;

/**
 * An execution's history as GetExecutionHistory returns it, from the engine's event log: the
 * execution's start, end and redrives, each state entered and exited with its input and output,
 * each failed Task attempt with its error and cause, and each Map iteration. Events are numbered
 * from 1, each pointing at the one before it (AWS points an event at the one that caused it,
 * which for a sequence of states is the same).
 */
export function executionHistory(
  record: ExecutionRecord,
  options: { roleArn: string; includeExecutionData: boolean },
): HistoryEvent[] {
  const data = (value: unknown) => (options.includeExecutionData ? JSON.stringify(value ?? null) : undefined);
  // Events of a Map's iterations reach the record a few ticks late; their times put them back in place.
  const inTimeOrder = [...(record.events ?? [])].sort((a, b) => a.timestamp - b.timestamp);
  const unnumbered = inTimeOrder.flatMap((event) => historyEvents(event, record, data, options.roleArn));
  return unnumbered.map((event, i) => ({ id: i + 1, previousEventId: i, ...event }));
}

function historyEvents(
  event: RecordedEvent,
  record: ExecutionRecord,
  data: (value: unknown) => string | undefined,
  roleArn: string,
): Unnumbered[] {
  const at = (type: HistoryEventType, details: Record<string, unknown> = {}): Unnumbered => ({
    timestamp: new Date(event.timestamp),
    type,
    ...details,
  });
  switch (event.type) {
    case 'ExecutionStarted':
      return [
        at('ExecutionStarted', {
          executionStartedEventDetails: {
            input: data(event.input),
            inputDetails: { truncated: false },
            roleArn,
          },
        }),
      ];
    case 'ExecutionRedriven':
      return [
        at('ExecutionRedriven', { executionRedrivenEventDetails: { redriveCount: event.redriveCount } }),
      ];
    case 'ExecutionSucceeded':
      return [
        at('ExecutionSucceeded', {
          executionSucceededEventDetails: { output: data(event.output), outputDetails: { truncated: false } },
        }),
      ];
    case 'ExecutionFailed':
      return [
        at('ExecutionFailed', {
          executionFailedEventDetails: { error: event.Error, cause: causeText(event.Cause) },
        }),
      ];
    case 'ExecutionAborted':
      return [
        at('ExecutionAborted', {
          executionAbortedEventDetails: { error: record.error, cause: record.cause },
        }),
      ];
    case 'ExecutionTimeout':
      return [at('ExecutionTimedOut', { executionTimedOutEventDetails: {} })];
    case 'StateEntered': {
      const entered = at(`${event.state.type}StateEntered` as HistoryEventType, {
        stateEnteredEventDetails: { name: event.state.name, input: data(event.state.input) },
      });
      // AWS marks the start of a Map's iterations and of a Parallel's branches.
      if (event.state.type === 'Map')
        return [entered, at('MapStateStarted', { mapStateStartedEventDetails: {} })];
      if (event.state.type === 'Parallel') return [entered, at('ParallelStateStarted')];
      return [entered];
    }
    case 'StateExited': {
      const exited = at(`${event.state.type}StateExited` as HistoryEventType, {
        stateExitedEventDetails: { name: event.state.name, output: data(event.state.output) },
      });
      if (event.state.type === 'Map' && !endedInCatch(record, event))
        return [at('MapStateSucceeded'), exited];
      if (event.state.type === 'Parallel' && !endedInCatch(record, event)) {
        return [at('ParallelStateSucceeded'), exited];
      }
      return [exited];
    }
    case 'StateFailed':
      // A Fail state's error is the execution's (ExecutionFailed); other states have no failure event on AWS.
      if (event.state.type === 'Task') {
        return [
          at('TaskFailed', {
            taskFailedEventDetails: {
              resourceType: 'lambda',
              resource: 'invoke',
              error: event.Error,
              cause: causeText(event.Cause),
            },
          }),
        ];
      }
      if (event.state.type === 'Map') return [at('MapStateFailed')];
      if (event.state.type === 'Parallel') return [at('ParallelStateFailed')];
      return [];
    case 'MapIterationStarted':
      return [
        at(event.type, {
          mapIterationStartedEventDetails: { name: event.parentState.name, index: event.index },
        }),
      ];
    case 'MapIterationSucceeded':
      return [
        at(event.type, {
          mapIterationSucceededEventDetails: { name: event.parentState.name, index: event.index },
        }),
      ];
    case 'MapIterationFailed':
      return [
        at(event.type, {
          mapIterationFailedEventDetails: { name: event.parentState.name, index: event.index },
        }),
      ];
    case 'MapRunStarted':
      return [at(event.type, { mapRunStartedEventDetails: { mapRunArn: event.mapRunArn } })];
    case 'MapRunFailed':
      return [at(event.type, { mapRunFailedEventDetails: { error: event.error, cause: event.cause } })];
    case 'MapRunSucceeded':
    case 'MapRunAborted':
      return [at(event.type)];
    default:
      // Retries show as a TaskFailed followed by the state's next attempt; catches as the next
      // state entered; Parallel branches have no events of their own on AWS.
      return [];
  }
}

/** Whether the state left through a Catch: its exit is then not a success. */
function endedInCatch(
  record: ExecutionRecord,
  exited: Extract<RecordedEvent, { type: 'StateExited' }>,
): boolean {
  const events = record.events ?? [];
  const previous = events
    .slice(0, events.indexOf(exited))
    .findLast((e) => 'state' in e && e.state.name === exited.state.name && e.index === exited.index);
  return previous?.type === 'StateCaught';
}

/** The engine's Cause is a Fail state's text or the error thrown, which may be any value. */
function causeText(cause: unknown): string {
  if (typeof cause === 'string') return cause;
  if (cause instanceof Error) return cause.message;
  return JSON.stringify(cause ?? null);
}
