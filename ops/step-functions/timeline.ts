import type { HistoryEvent } from '@aws-sdk/client-sfn';

/** One state's run in an execution, as the history tells it. */
export interface TimelineRow {
  state: string;
  /** Task, Map, Choice, Pass, Fail, … */
  type: string;
  enteredAt: Date;
  exitedAt?: Date;
  durationMs?: number;
  /** ok: exited; failed: a Fail state, or an error ended it; running: not exited yet. */
  outcome: 'ok' | 'failed' | 'running';
  /** Task attempts that failed inside it (retried or caught), last one last. */
  errors: { error: string; cause: string }[];
  input?: string;
  output?: string;
  /** Set on the rows of a redriven run: the redrive count that started it. */
  redrive?: number;
}

const ENTERED = /^(\w+?)StateEntered$/;
const EXITED = /^(\w+?)StateExited$/;

/**
 * States in the order they were entered, each with its duration, outcome and the errors its
 * attempts met. Entered and exited events pair by state name in order (a state inside a Map
 * runs once per iteration: each run is its own row).
 */
export function timelineOf(events: readonly HistoryEvent[]): TimelineRow[] {
  const rows: TimelineRow[] = [];
  const open = new Map<string, TimelineRow[]>();
  let redrive = 0;
  for (const event of events) {
    const type = event.type ?? '';
    const at = event.timestamp ?? new Date(0);
    if (type === 'ExecutionRedriven')
      redrive = event.executionRedrivenEventDetails?.redriveCount ?? redrive + 1;
    const entered = ENTERED.exec(type);
    if (entered && event.stateEnteredEventDetails?.name) {
      const name = event.stateEnteredEventDetails.name;
      const row: TimelineRow = {
        state: name,
        type: entered[1] ?? '',
        enteredAt: at,
        outcome: entered[1] === 'Fail' ? 'failed' : 'running',
        errors: [],
        ...(event.stateEnteredEventDetails.input === undefined
          ? {}
          : { input: event.stateEnteredEventDetails.input }),
        ...(redrive > 0 ? { redrive } : {}),
      };
      rows.push(row);
      open.set(name, [...(open.get(name) ?? []), row]);
      continue;
    }
    if (type === 'TaskFailed' || type === 'LambdaFunctionFailed') {
      const details = event.taskFailedEventDetails ?? event.lambdaFunctionFailedEventDetails;
      const running = [...rows].reverse().find((row) => row.outcome === 'running' && row.type === 'Task');
      running?.errors.push({ error: details?.error ?? 'failed', cause: details?.cause ?? '' });
      continue;
    }
    const exited = EXITED.exec(type);
    if (exited && event.stateExitedEventDetails?.name) {
      const name = event.stateExitedEventDetails.name;
      const row = open.get(name)?.shift();
      if (!row) continue;
      row.exitedAt = at;
      row.durationMs = at.getTime() - row.enteredAt.getTime();
      row.outcome = row.type === 'Fail' ? 'failed' : 'ok';
      if (event.stateExitedEventDetails.output !== undefined)
        row.output = event.stateExitedEventDetails.output;
      continue;
    }
    if (type.endsWith('StateFailed') || type === 'ExecutionFailed') {
      // The states still open when the execution failed are the ones it failed in.
      for (const row of rows) if (row.outcome === 'running') row.outcome = 'failed';
    }
  }
  return rows;
}
